import ArgumentParser

/// `citywatch synthetic`: synthetic cameras with ground truth.
struct SyntheticCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic",
        abstract: "Synthetic cameras: scripted scenes rendered to H.264 clips with frame-by-frame ground truth.",
        discussion: "Serve a generated clip as an RTSP camera with: /usr/bin/python3 scripts/rtsp-camera.py NAME=DIR/NAME.mp4",
        subcommands: [SyntheticGenerateCommand.self, SyntheticListCommand.self])
}
