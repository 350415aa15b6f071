import CityWatchApp
import Testing

/// A node's two capacities: cameras it may record, analysis frames a second it may take.
struct NodeCapacityTests {
    func settings(capacity: Int, analysisFPS: Int?, framesPerCamera: Int) -> ClusterMembership.Settings {
        ClusterMembership.Settings(node: "node-a", address: "http://10.0.0.1:8080", capacity: capacity, leaseSeconds: 10,
                                   camerasMovedPerMinute: 30, version: "v", analysisFPS: analysisFPS, framesPerCamera: framesPerCamera)
    }

    @Test func theAnalysisCapacityHoldsTheCameraCapacityDownOnlyWhenItBinds() {
        let bound = settings(capacity: 64, analysisFPS: 120, framesPerCamera: 5)
        #expect(bound.recordingCapacity == 24)
        #expect(bound.capacityLimit?.contains("CITYWATCH_NODE_ANALYSIS_FPS") == true && bound.capacityLimit?.contains("24 cameras") == true,
                "\(bound.capacityLimit ?? "nil")")
        // A remainder buys no camera: 124 frames/s is still 24 cameras at 5.
        #expect(settings(capacity: 64, analysisFPS: 124, framesPerCamera: 5).recordingCapacity == 24)
        let roomy = settings(capacity: 16, analysisFPS: 500, framesPerCamera: 5)
        #expect(roomy.recordingCapacity == 16 && roomy.capacityLimit == nil)
        // Analysis frames off: frames a second limit nothing.
        let recordingOnly = settings(capacity: 64, analysisFPS: 10, framesPerCamera: 0)
        #expect(recordingOnly.recordingCapacity == 64 && recordingOnly.capacityLimit == nil)
        #expect(settings(capacity: 64, analysisFPS: nil, framesPerCamera: 5).recordingCapacity == 64)
        // Zero frames a second: an analysing node takes no camera, and says why.
        let none = settings(capacity: 64, analysisFPS: 0, framesPerCamera: 5)
        #expect(none.recordingCapacity == 0 && none.capacityLimit?.contains("0 cameras") == true)
        #expect(settings(capacity: 0, analysisFPS: nil, framesPerCamera: 5).capacityLimit?.contains("capacity 0") == true)
    }
}
