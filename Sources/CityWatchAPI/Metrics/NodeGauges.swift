import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Prometheus
import Vapor

/// What this node is doing, read when `/metrics` is scraped: the registry's cameras, the
/// cameras recorded here and their health, indexing, analysis (frames analysed and dropped,
/// results waiting for the store, the detector), live viewers and requests in flight.
///
/// Read at scrape time rather than counted along the way: the values already live in the
/// services. The registry is made for the one scrape, so it holds this application's figures
/// alone (a test process runs many applications beside one another) and never a stale series.
struct NodeGauges {
    private let registry = PrometheusCollectorRegistry()

    /// The figures of `request`'s application in Prometheus text format.
    static func text(for request: Request) async -> [UInt8] {
        let gauges = NodeGauges()
        await gauges.readRegistry(request)
        if let recording = request.application.recording { await gauges.readRecording(recording) }
        if let analytics = request.application.analytics { gauges.readAnalytics(analytics) }
        if let cluster = request.application.cluster { gauges.readCluster(cluster) }
        await gauges.readStorage(request)
        gauges.set("citywatch_live_viewers", "Live video sockets open on this node, plain and masked",
                   request.cityWatch.liveViewers.current)
        gauges.set("citywatch_live_relays_served", "Live streams this node sends to other nodes of the cluster now",
                   request.cityWatch.liveViewers.relaysServed)
        if let peers = request.application.clusterPeers {
            gauges.set("citywatch_live_relays_received", "Cameras of other nodes whose live video is relayed to this node now", peers.relayCount)
            gauges.set("citywatch_cluster_peers_unhealthy", "Peers this node cannot reach or that refuse it (see the Nodes view)",
                       peers.peerLinks.values.filter { $0 != .ok }.count)
        }
        gauges.set("citywatch_http_requests_in_flight", "Requests being answered now, this scrape included", request.cityWatch.inFlight.current)
        var text: [UInt8] = []
        gauges.registry.emit(into: &text)
        return text
    }

    /// Cameras in the registry by purpose and state (the store is shared by every node).
    private func readRegistry(_ request: Request) async {
        guard let snapshot = try? await request.cityWatch.directory.snapshot(on: request.db) else { return }
        var counts: [String: [String: Int]] = [:]
        for camera in snapshot.cameras {
            counts[snapshot.site(of: camera).record.purpose.code, default: [:]][camera.enabled ? "enabled" : "disabled", default: 0] += 1
        }
        for purpose in CameraPurpose.standard + [.other("")] {
            for state in ["enabled", "disabled"] {
                set("citywatch_cameras", "Cameras in the registry by purpose and state", counts[purpose.code]?[state] ?? 0,
                    labels: [("purpose", purpose.code), ("state", state)])
            }
        }
    }

    /// The storage tiers: footage and disk per tier, and how moves to the archive stand.
    private func readStorage(_ request: Request) async {
        let recording = request.application.recording
        guard let report = try? await StorageReport.read(database: request.db, configuration: request.cityWatch.configuration,
                                                         node: recording?.ownership?.node, mover: recording?.mover) else { return }
        let now = request.cityWatch.clock()
        for tier in [report.hot] + (report.archive.map { [$0] } ?? []) {
            let labels = [("tier", tier.tier.rawValue)]
            set("citywatch_storage_segments", "Playable segments per tier (this node's in the hot tier, every node's in the archive)",
                tier.totals.segments, labels: labels)
            set("citywatch_storage_bytes", "Bytes of footage per tier", Double(tier.totals.bytes), labels: labels)
            set("citywatch_storage_oldest_age_seconds", "Age of the oldest footage per tier (0 when empty)",
                tier.totals.oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0, labels: labels)
            if let disk = tier.disk {
                set("citywatch_storage_disk_free_ratio", "Free share of the disk each tier is on", disk.freePercent / 100, labels: labels)
            }
        }
        guard report.archive != nil, let moving = report.moving else { return }
        for state in ["ok", "unavailable", "full", "unknown"] {
            set("citywatch_archive_state", "1 for the archive's state as this node last saw it", moving.archiveState == state ? 1 : 0,
                labels: [("state", state)])
        }
        set("citywatch_archive_moves", "Segments this node moved to the archive since it started", moving.moves)
        set("citywatch_archive_moved_bytes", "Bytes this node moved to the archive since it started", Double(moving.bytesMoved))
        set("citywatch_archive_move_failures", "Moves to the archive that failed since this node started", moving.failures)
        set("citywatch_archive_due_segments", "Segments due to move that are still in the hot tier", moving.duePending)
        set("citywatch_archive_lag_seconds", "How long the oldest segment due to move has waited beyond its move age", moving.lagSeconds)
        set("citywatch_archive_move_rate_bytes", "Bytes a second of the last pass that moved anything", moving.lastRate)
    }

    /// The cameras this node records, their health, their analysis frames and indexing.
    private func readRecording(_ recording: RecordingService) async {
        var health: [CameraHealth: Int] = [:]
        var analysed: UInt64 = 0
        var dropped: UInt64 = 0
        for camera in recording.recordingCameras {
            guard let pipeline = recording.pipeline(for: camera) else { continue }  // stopped meanwhile
            health[await pipeline.health, default: 0] += 1
            let counts = pipeline.frames.counts
            analysed += counts.taken
            dropped += counts.dropped
        }
        for state in CameraHealth.allCases {
            set("citywatch_recording_cameras", "Cameras recorded on this node by the health of their stream", health[state] ?? 0,
                labels: [("health", state.rawValue)])
        }
        set("citywatch_analysis_frames_analysed", "Analysis frames analysed, over the cameras recorded now since their recording started",
            Int(clamping: analysed))
        set("citywatch_analysis_frames_dropped",
            "Analysis frames dropped because the analysis was busy, over the cameras recorded now since their recording started",
            Int(clamping: dropped))
        let indexing = recording.indexingSummary
        set("citywatch_recording_indexing_stalled_cameras", "Cameras whose closed segments have waited too long for the index",
            indexing.stalledCameras)
        set("citywatch_recording_segments_waiting_for_index", "Closed segments not in the index yet", indexing.waitingSegments)
        set("citywatch_recording_segments_found_in_folder", "Closed segments the segment list missed and the folder gave, since start",
            indexing.foundInFolders)
    }

    /// This node's part of the cluster: cameras held, moves, writes refused as stale.
    private func readCluster(_ cluster: ClusterMembership) {
        set("citywatch_cluster_cameras_held", "Cameras this node holds a lease on", cluster.ownership.tokens.count)
        set("citywatch_cluster_node_active", "1 while this node is registered and its store answers, else 0",
            cluster.state.state == .active ? 1 : 0)
        let counts = cluster.counts
        set("citywatch_cluster_cameras_claimed", "Cameras this node took on since start (failovers, a share of a joining cluster)", counts.claimed)
        set("citywatch_cluster_cameras_handed_over", "Cameras this node let go of since start (drain, a node joining, stop)", counts.released)
        set("citywatch_cluster_cameras_lost", "Cameras another node took from this one since start (its leases ran out)", counts.lost)
        if let recording = cluster.recordingService {
            set("citywatch_cluster_fenced_writes", "Writes the store refused since start because the camera's lease had moved on",
                recording.fencedWriteCount)
        }
    }

    /// The analysis's write queue and the detector.
    private func readAnalytics(_ analytics: AnalyticsService) {
        set("citywatch_analytics_write_queue", "Analysis results (events, track summaries, motion) waiting for the store",
            analytics.writeQueueLength)
        // The classifier's own counts (it runs on a thread of its own).
        guard let detector = analytics.detectorStatistics else { return }
        set("citywatch_detector_runs", "Detector runs since start", Double(detector.runs))
        set("citywatch_detector_queue", "Requests (looks and track classifications) waiting for the detector", Double(detector.waiting))
        set("citywatch_detector_dropped", "Requests dropped unanswered since start: too old, or pushed out by a newer one of their camera",
            Double(detector.dropped))
        set("citywatch_detector_latency_seconds_average", "Mean seconds from a track's request to its answer",
            detector.runs == 0 ? 0 : detector.latencySeconds / Double(detector.runs))
        for objectClass in ObjectClass.allCases {
            set("citywatch_detector_answers", "Detector answers since start by class (unknown: nothing found there)",
                Double(detector.answered[objectClass] ?? 0), labels: [("class", objectClass.rawValue)])
        }
    }

    private func set(_ name: String, _ help: String, _ value: Int, labels: [(String, String)] = []) {
        set(name, help, Double(value), labels: labels)
    }

    private func set(_ name: String, _ help: String, _ value: Double, labels: [(String, String)] = []) {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels).set(value)
    }
}
