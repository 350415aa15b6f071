import CityWatchDomain
import CityWatchMedia
import Foundation
import Testing

@Suite("Recording command")
struct RecordingCommandTests {
    static func command(_ stream: CameraStream) -> RecordingCommand {
        RecordingCommand(stream: stream, segmentFolder: "/rec/cam", segmentList: "/rec/cam/list.csv",
                         framePipe: "/run/frames", livePipe: "/run/live")
    }

    @Test func credentialsGoToTheProcessButNeverToTheLog() throws {
        let stream = try CameraStream(mainURL: "rtsp://admin:s3cr%40t@10.0.0.5:554/main").validated()
        #expect(stream.username == "admin" && stream.password == "s3cr@t")
        #expect(stream.mainURL == "rtsp://10.0.0.5:554/main")
        let command = Self.command(stream)
        #expect(command.arguments.contains("rtsp://admin:s3cr%40t@10.0.0.5:554/main"))
        #expect(!command.redactedArguments.joined(separator: " ").contains("s3cr"))
        #expect(command.redactedArguments.contains("rtsp://***@10.0.0.5:554/main"))
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
