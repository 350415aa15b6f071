import Foundation

/// CPU and memory of a set of processes over a stretch of steady recording: the same
/// measurement for the nodes and for the plain ffmpeg baseline.
struct SteadyWindow {
    var seconds: Double
    /// CPU seconds of the measured processes (nodes and their ffmpegs, or the plain ffmpegs).
    var cpu: Double
    /// The ffmpegs' part of ``cpu``.
    var ffmpegCPU: Double
    /// CPU seconds of the PostgreSQL server over the same stretch (0 for the baseline).
    var postgresCPU: Double
    /// Memory at the end of the stretch.
    var memory: ResourceSample
    var postgresMemory: ResourceSample
    /// Share of the whole machine's CPU in use meanwhile (everything, other people's work too).
    var machineBusy: Double
    /// When the stretch began and ended (wall clock).
    var from: Date
    var to: Date

    /// Measures the processes of `groups` (and PostgreSQL's `postgres`) for `seconds`, with a
    /// progress line every 10 s.
    static func measure(seconds: Int, groups: Set<pid_t>, postgres: () -> [ProcessTable.Entry]) async throws -> SteadyWindow {
        let machineStart = MachineState.cpuTicks()
        let start = ResourceSample.of(groups: groups, memory: false)
        let postgresStart = ResourceSample.of(postgres(), memory: false)
        let from = Date()
        var elapsed = 0
        while elapsed < seconds {
            let step = min(10, seconds - elapsed)
            try await Task.sleep(for: .seconds(step))
            elapsed += step
            let now = ResourceSample.of(groups: groups, memory: false)
            print(String(format: "    %3d / %d s: %.2f cores in use by them, machine %.0f %% busy", elapsed, seconds,
                         (now.cpuSeconds - start.cpuSeconds) / Double(elapsed),
                         MachineState.busyShare(from: machineStart, to: MachineState.cpuTicks()) * 100))
        }
        let to = Date()
        let end = ResourceSample.of(groups: groups, memory: true)
        let postgresEnd = ResourceSample.of(postgres(), memory: true)
        return SteadyWindow(seconds: to.timeIntervalSince(from), cpu: end.cpuSeconds - start.cpuSeconds,
                            ffmpegCPU: end.ffmpegCPUSeconds - start.ffmpegCPUSeconds,
                            postgresCPU: postgresEnd.cpuSeconds - postgresStart.cpuSeconds, memory: end, postgresMemory: postgresEnd,
                            machineBusy: MachineState.busyShare(from: machineStart, to: MachineState.cpuTicks()), from: from, to: to)
    }

    /// Share of one core per camera, CPU of the measured processes only.
    func corePerCamera(_ cameras: Int) -> Double { cpu / seconds / Double(cameras) }

    /// The same with PostgreSQL's CPU added.
    func corePerCameraWithStore(_ cameras: Int) -> Double { (cpu + postgresCPU) / seconds / Double(cameras) }

    /// PSS in MiB per camera.
    func pssPerCamera(_ cameras: Int) -> Double { Double(memory.pssKiB) / 1024 / Double(cameras) }

    /// RSS in MiB per camera.
    func rssPerCamera(_ cameras: Int) -> Double { Double(memory.rssKiB) / 1024 / Double(cameras) }
}
