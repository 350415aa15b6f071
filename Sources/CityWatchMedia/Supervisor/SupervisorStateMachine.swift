import Foundation

/// What a camera's supervisor does next, as a pure state machine.
///
/// The supervisor actor feeds it events (started, data arrived, process exited, timer) and
/// carries out the actions it returns (launch or terminate ffmpeg, wake me at, record a health
/// transition or a recording gap). Restarts back off from 1 s, doubling to 30 s; the backoff
/// resets once video has flowed for `healthyAfter`. A process that produces no video for
/// `stallTimeout` is terminated (and so restarted).
public struct SupervisorStateMachine: Sendable {
    /// Timings.
    public struct Timing: Sendable, Equatable {
        public var stallTimeout: TimeInterval = 10
        public var initialBackoff: TimeInterval = 1
        public var maximumBackoff: TimeInterval = 30
        public var healthyAfter: TimeInterval = 30

        public init(stallTimeout: TimeInterval = 10, initialBackoff: TimeInterval = 1, maximumBackoff: TimeInterval = 30,
                    healthyAfter: TimeInterval = 30) {
            self.stallTimeout = stallTimeout
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.healthyAfter = healthyAfter
        }
    }

    /// Something for the supervisor to do.
    public enum Action: Sendable, Equatable {
        /// Start ffmpeg; its events carry `generation`.
        case launch(generation: Int)
        /// Stop the process of `generation`.
        case terminate(generation: Int, reason: String)
        /// Call ``tick(now:)`` at this time.
        case wake(at: Date)
        /// The camera's health changed.
        case health(from: CameraHealth, to: CameraHealth, at: Date, reason: String)
        /// Nothing was recorded between these times.
        case gap(from: Date, to: Date)
    }

    private enum Phase: Sendable, Equatable {
        case idle
        case running(generation: Int, startedAt: Date)
        case waiting(until: Date)
        case stopped
    }

    public let timing: Timing
    private var phase = Phase.idle
    private var generation = 0
    private var failures = 0
    public private(set) var health = CameraHealth.disabled
    /// When video last arrived.
    public private(set) var lastDataAt: Date?
    private var onlineSince: Date?
    /// Start of the current outage: the last video before it failed.
    private var outageFrom: Date?

    public init(timing: Timing = Timing()) {
        self.timing = timing
    }

    /// The delay before the next restart after `failures` failures in a row.
    public func backoff(after failures: Int) -> TimeInterval {
        min(timing.maximumBackoff, timing.initialBackoff * pow(2, Double(max(0, failures - 1))))
    }

    /// Starts supervising.
    public mutating func start(now: Date) -> [Action] {
        guard phase == .idle || phase == .stopped else { return [] }
        generation += 1
        phase = .running(generation: generation, startedAt: now)
        return [transition(to: .connecting, at: now, reason: "starting"), .launch(generation: generation),
                .wake(at: now.addingTimeInterval(timing.stallTimeout))]
    }

    /// Video arrived from the process of `generation`.
    public mutating func dataReceived(generation: Int, now: Date) -> [Action] {
        guard case .running(let current, _) = phase, current == generation else { return [] }
        var actions: [Action] = []
        if health != .online {
            actions.append(transition(to: .online, at: now, reason: "video arriving"))
            onlineSince = now
            if let from = outageFrom {
                actions.append(.gap(from: from, to: now))
                outageFrom = nil
            }
        }
        if let since = onlineSince, now.timeIntervalSince(since) >= timing.healthyAfter { failures = 0 }
        lastDataAt = now
        return actions
    }

    /// The process of `generation` ended (`reason` says how).
    public mutating func processExited(generation: Int, reason: String, now: Date) -> [Action] {
        guard case .running(let current, _) = phase, current == generation else { return [] }
        failures += 1
        if outageFrom == nil, let last = lastDataAt, health == .online || health == .stalled { outageFrom = last }
        onlineSince = nil
        let until = now.addingTimeInterval(backoff(after: failures))
        phase = .waiting(until: until)
        return [transition(to: .offline, at: now, reason: reason), .wake(at: until)]
    }

    /// Time passed: detect a stall, or restart after the backoff.
    public mutating func tick(now: Date) -> [Action] {
        switch phase {
        case .running(let current, let startedAt):
            let quietSince = max(lastDataAt ?? startedAt, startedAt)
            if now.timeIntervalSince(quietSince) >= timing.stallTimeout {
                let reason = "no video for \(Int(timing.stallTimeout)) s"
                var actions: [Action] = []
                if health == .online { actions.append(transition(to: .stalled, at: now, reason: reason)) }
                actions.append(.terminate(generation: current, reason: reason))
                return actions
            }
            return [.wake(at: quietSince.addingTimeInterval(timing.stallTimeout))]
        case .waiting(let until):
            guard now >= until else { return [.wake(at: until)] }
            generation += 1
            phase = .running(generation: generation, startedAt: now)
            return [transition(to: .reconnecting, at: now, reason: "restart \(failures)"), .launch(generation: generation),
                    .wake(at: now.addingTimeInterval(timing.stallTimeout))]
        case .idle, .stopped:
            return []
        }
    }

    /// Stops supervising (camera disabled, shutdown).
    public mutating func stop(now: Date, reason: String) -> [Action] {
        var actions: [Action] = []
        if case .running(let current, _) = phase { actions.append(.terminate(generation: current, reason: reason)) }
        phase = .stopped
        if health != .disabled { actions.append(transition(to: .disabled, at: now, reason: reason)) }
        return actions
    }

    private mutating func transition(to next: CameraHealth, at now: Date, reason: String) -> Action {
        let previous = health
        health = next
        return .health(from: previous, to: next, at: now, reason: reason)
    }
}
