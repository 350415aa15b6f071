import ArgumentParser
import CityWatchMedia
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import WebSocketKit

/// `citywatch-bench live-viewers`: N WebSocket viewers of one live camera (used by `citywatch-bench live`).
struct BenchLiveViewersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live-viewers", abstract: "Connect N viewers to a live camera and count what they receive (a helper of `citywatch-bench live`).",
        shouldDisplay: false)

    @Option(help: "The live WebSocket URL.") var url: String
    @Option(help: "The session cookie, cw_session=….") var cookie: String
    @Option(help: "Viewers.") var count = 1
    @Option(help: "Seconds to watch.") var seconds = 20
    @Option(help: "Decode the first viewer's video and write the time of every black/white flip to this file.") var decodeTo: String?

    func run() async throws {
        let counter = ByteCounter()
        let decoder = try decodeTo.map { try FlipDetector(output: $0) }
        for index in 0..<count {
            try await WebSocket.connect(to: url, headers: ["Cookie": cookie], configuration: .init(maxFrameSize: 1 << 24),
                                        on: MultiThreadedEventLoopGroup.singleton) { socket in
                socket.onBinary { _, buffer in
                    counter.add(buffer.readableBytes)
                    if index == 0, let decoder { decoder.feed(buffer) }
                }
            }.get()
        }
        try await Task.sleep(for: .seconds(seconds))
        decoder?.finish()
        print("\(count) viewers received \(counter.total / 1024) KiB")
    }
}

/// Counts bytes from many sockets.
final class ByteCounter: Sendable {
    private let value = Mutex(0)
    func add(_ n: Int) { value.withLock { $0 += n } }
    var total: Int { value.withLock { $0 } }
}

/// Decodes a live fMP4 stream with ffmpeg into 1-pixel gray frames and writes the wall time of
/// every change between dark and bright.
final class FlipDetector: Sendable {
    private let process: Process
    private let input: FileHandle

    init(output: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MediaTools().ffmpeg)
        process.arguments = ["-hide_banner", "-loglevel", "error", "-threads", "1", "-fflags", "nobuffer", "-probesize", "32768",
                             "-f", "mp4", "-i", "pipe:0", "-vf", "scale=1:1,format=gray", "-f", "rawvideo", "-flush_packets", "1", "pipe:1"]
        let input = Pipe(), outputPipe = Pipe()
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.input = input.fileHandleForWriting
        FileManager.default.createFile(atPath: output, contents: nil)
        let log = FileHandle(forWritingAtPath: output)!
        let reader = outputPipe.fileHandleForReading
        Thread.detachNewThread {
            var last: Bool?
            while true {
                let data = reader.readData(ofLength: 1)
                guard let byte = data.first else { break }
                let bright = byte > 128
                if let previous = last, previous != bright {
                    log.write(Data("\(Date().timeIntervalSince1970) \(bright ? "white" : "black")\n".utf8))
                }
                last = bright
            }
            try? log.close()
        }
    }

    func feed(_ buffer: ByteBuffer) {
        try? input.write(contentsOf: Data(buffer.readableBytesView))
    }

    func finish() {
        try? input.close()
        kill(process.processIdentifier, SIGKILL)
    }
}
