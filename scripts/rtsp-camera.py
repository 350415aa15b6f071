#!/usr/bin/python3
"""A test peer that behaves like an RTSP camera: serves MP4 files (H.264) forever.

    /usr/bin/python3 scripts/rtsp-camera.py --port 8554 [--user USER:PASSWORD] NAME=path.mp4 [NAME2=path2.mp4 ...]

serves rtsp://127.0.0.1:8554/NAME, prints "ready" once listening and exits cleanly on SIGTERM or
SIGINT. With --user, every mount asks for that user name and password (Digest authentication,
as cameras do: the password never crosses the wire) and refuses anyone else with 401. Use Debian's python3: the GStreamer bindings (python3-gi, gir1.2-gst-rtsp-server-1.0)
are not in other Pythons.

Looping: a file source ends, a camera does not. Each mount's shared media is
`appsrc ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1`; a separate reader pipeline
(`filesrc ! qtdemux ! h264parse ! appsink`) hands it the file's access units unchanged. When the
reader reaches the end of the file it seeks back to the start, and every later pass is shifted by
the length of the passes before it, so presentation and decoding timestamps (B-frames included)
keep increasing and the RTSP side never sees an end of stream or a discontinuity. The server's
sinks pace the stream to the clock, as a camera would.
"""
import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


class LoopingFile:
    """The H.264 access units of one MP4 file, repeated forever with increasing timestamps."""

    def __init__(self, path):
        self.pipeline = Gst.parse_launch(
            "filesrc name=file ! qtdemux ! h264parse ! "
            "video/x-h264,stream-format=byte-stream,alignment=au ! "
            "appsink name=out sync=false max-buffers=16")
        self.pipeline.get_by_name("file").set_property("location", path)
        self.sink = self.pipeline.get_by_name("out")
        self.offset = 0  # added to every timestamp of the current pass
        self.end = 0  # the end of the latest buffer handed out, offset included
        self.pipeline.set_state(Gst.State.PAUSED)
        self.caps = self.sink.emit("pull-preroll").get_caps()
        self.pipeline.set_state(Gst.State.PLAYING)

    def next_buffer(self):
        sample = self.sink.emit("pull-sample")
        if sample is None:  # end of file: start the next pass where this one ended
            self.offset = self.end
            self.pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0)
            sample = self.sink.emit("pull-sample")
            if sample is None:
                return None
        buffer = sample.get_buffer().copy()
        if buffer.pts != Gst.CLOCK_TIME_NONE:
            buffer.pts += self.offset
        if buffer.dts != Gst.CLOCK_TIME_NONE:
            buffer.dts += self.offset
        stamp = buffer.pts if buffer.pts != Gst.CLOCK_TIME_NONE else buffer.dts
        if stamp != Gst.CLOCK_TIME_NONE:
            duration = buffer.duration if buffer.duration != Gst.CLOCK_TIME_NONE else 0
            self.end = max(self.end, stamp + duration)
        return buffer

    def stop(self):
        self.pipeline.set_state(Gst.State.NULL)


class LoopingFactory(GstRtspServer.RTSPMediaFactory):
    """One mount: a shared media fed by a LoopingFile."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.set_shared(True)
        self.set_launch("( appsrc name=src format=time ! h264parse ! "
                        "rtph264pay name=pay0 pt=96 config-interval=1 )")
        self.connect("media-configure", self.on_media_configure)

    def on_media_configure(self, _factory, media):
        source = LoopingFile(self.path)
        appsrc = media.get_element().get_child_by_name("src")
        appsrc.set_property("caps", source.caps)

        def feed(src, _length):
            buffer = source.next_buffer()
            if buffer is None:
                src.emit("end-of-stream")
            else:
                src.emit("push-buffer", buffer)

        appsrc.connect("need-data", feed)
        media.connect("unprepared", lambda _media: source.stop())


def require_user(server, factories, user_and_password):
    """Lets only USER:PASSWORD see the mounts, by Digest authentication."""
    user, separator, password = user_and_password.partition(":")
    if not separator or not user:
        sys.exit("rtsp-camera: --user must be USER:PASSWORD")
    auth = GstRtspServer.RTSPAuth()
    auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    token = GstRtspServer.RTSPToken.new()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "camera-user")
    auth.add_digest(user, password, token)
    server.set_auth(auth)
    for factory in factories:
        factory.add_role_from_structure(Gst.Structure.new_from_string(
            "camera-user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))


def main():
    parser = argparse.ArgumentParser(description="Serve MP4 files over RTSP, looping forever.")
    parser.add_argument("--port", type=int, default=8554, help="TCP port to listen on (default 8554)")
    parser.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--user", metavar="USER:PASSWORD", help="require this user name and password (Digest)")
    parser.add_argument("mounts", nargs="+", metavar="NAME=FILE.mp4", help="serve FILE.mp4 at rtsp://ADDRESS:PORT/NAME")
    arguments = parser.parse_args()
    # A child inherits its parent's blocked signals; a parent on a thread-pool thread blocks
    # SIGTERM, which would then never reach the handler below.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(arguments.address)
    server.set_service(str(arguments.port))
    mounts = server.get_mount_points()
    factories = []
    for mount in arguments.mounts:
        name, separator, path = mount.partition("=")
        if not separator or not name or not path:
            parser.error(f"expected NAME=FILE.mp4, got {mount!r}")
        if not os.path.isfile(path):
            parser.error(f"no such file: {path}")
        factory = LoopingFactory(path)
        factories.append(factory)
        mounts.add_factory("/" + name, factory)
    if arguments.user:
        require_user(server, factories, arguments.user)
    if server.attach(None) == 0:
        sys.exit(f"rtsp-camera: cannot listen on {arguments.address}:{arguments.port}")

    loop = GLib.MainLoop()
    for number in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, number, loop.quit)
    print("ready", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
