import CityWatchDomain
import CityWatchMedia
import Foundation
import Testing

@Suite("Recording command")
struct RecordingCommandTests {
    static func command(_ stream: CameraStream) -> RecordingCommand {
        RecordingCommand(stream: stream, segmentFolder: "/rec/cam", segmentList: "/rec/cam/list.csv",
                         framePipe: "/run/frames", livePipe: "/run/live", scriptFolder: "/run/cam")
    }

    /// The command line is for every local user to read (`ps`): the password goes to a script
    /// the process reads through the concat demuxer, with the input's options.
    @Test func credentialsGoToAScriptTheProcessReadsNeverToItsCommandLine() throws {
        let stream = try CameraStream(mainURL: "rtsp://admin:s3cr%40t'x@10.0.0.5:554/main", subURL: "http://10.0.0.5/sub").validated()
        #expect(stream.username == "admin" && stream.password == "s3cr@t'x")
        #expect(stream.mainURL == "rtsp://10.0.0.5:554/main")
        let command = Self.command(stream)
        let line = command.arguments.joined(separator: " ")
        #expect(!line.contains("s3cr") && !line.contains("admin"), "\(line)")
        #expect(line.contains("-f concat -safe 0 -auto_convert 0 -protocol_whitelist file,crypto,data,rtsp,rtsps,rtp,srtp,tcp,udp,tls,http,https,httpproxy -fflags +genpts -i /run/cam/input-main.ffconcat"))
        #expect(line.contains("-i /run/cam/input-sub.ffconcat"))
        let scripts = command.inputScripts
        try #require(scripts.map(\.path) == ["/run/cam/input-main.ffconcat", "/run/cam/input-sub.ffconcat"])
        #expect(scripts[0].text == "ffconcat version 1.0\nfile 'rtsp://admin:s3cr%40t'\\''x@10.0.0.5:554/main'\noption rtsp_transport tcp\noption timeout 10000000\n")
        #expect(scripts[1].text.contains("file 'http://admin:s3cr%40t'\\''x@10.0.0.5/sub'\noption rw_timeout 10000000\noption reconnect 1\noption reconnect_streamed 1"))
        #expect(scripts[0].shownAs == "rtsp://***@10.0.0.5:554/main")
        #expect(!command.redactedArguments.joined(separator: " ").contains("s3cr"))
        #expect(command.redactedArguments.contains("rtsp://***@10.0.0.5:554/main"))
    }

    @Test func streamWithoutCredentialsIsOpenedDirectly() throws {
        let command = Self.command(try CameraStream(mainURL: "rtsp://10.0.0.5:554/main").validated())
        #expect(command.inputScripts.isEmpty)
        #expect(command.arguments.joined(separator: " ").contains("-rtsp_transport tcp -timeout 10000000 -fflags +genpts -i rtsp://10.0.0.5:554/main"))
    }

    @Test func passwordIsScrubbedFromAnyTextAsWrittenOrPercentEncoded() throws {
        let stream = try CameraStream(mainURL: "rtsp://admin:p%40ss word@10.0.0.5/main").validated()
        let text = "[concat @ 0x5] Impossible to open 'rtsp://admin:p%40ss%20word@10.0.0.5/main' then http://u:v@h/x and p@ss word again"
        let scrubbed = stream.scrubbed(text)
        #expect(!scrubbed.contains("p@ss") && !scrubbed.contains("p%40ss") && !scrubbed.contains(":v@"), "\(scrubbed)")
        #expect(scrubbed.contains("'rtsp://***@10.0.0.5/main'") && scrubbed.contains("http://***@h/x"))
        #expect(throws: CameraStream.Problem.self) { try CameraStream(mainURL: "rtsp://cam/main\noption x y").validated() }
    }

    @Test func recordsByStreamCopyWithoutAudioAndAnalysesTheSubStream() throws {
        let stream = try CameraStream(mainURL: "rtsp://cam/main", subURL: "rtsp://cam/sub").validated()
        let args = Self.command(stream).arguments
        #expect(args.filter { $0 == "-i" }.count == 2)
        #expect(args.filter { $0 == "-an" }.count == 3)
        #expect(!args.contains("-c:a"))
        let gray = try #require(args.firstIndex(of: "/run/frames"))
        #expect(args[..<gray].last { $0.hasPrefix("1:v") } == "1:v:0")
        #expect(args.contains("fps=5,scale=320:180,format=yuv420p"))
        #expect(args.contains("movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1"))
    }

    @Test func badStreamURLsAreRefusedByName() {
        #expect(throws: CameraStream.Problem.self) { try CameraStream(mainURL: "ftp://cam/x").validated() }
        #expect(throws: CameraStream.Problem.self) { try CameraStream(mainURL: "rtsp://").validated() }
        #expect(throws: CameraStream.Problem.self) { try CameraStream(mainURL: "  ").validated() }
    }

    @Test func segmentListLinesAndNamesParse() throws {
        let line = try #require(SegmentListLine(line: "20261126T060235Z.mp4,4.080000,8.080000\n"))
        #expect(line.duration == 4)
        #expect(SegmentListLine(line: "partial,4.0") == nil)
        let start = try #require(SegmentListLine.startTime(ofFile: "20261126T060235Z.mp4"))
        #expect(start == Date(timeIntervalSince1970: 1_795_672_955))
        #expect(SegmentListLine.startTime(ofFile: "garbage.mp4") == nil)
    }
}
