import CityWatchAnalytics
import CityWatchDomain

extension ObjectDetector {
    /// A detector-led camera's look at `region` of a yuv420p analysis frame taken at `time`: run
    /// in colour (the network finds vehicles from above and far people in RGB that it misses in
    /// gray), on the luma alone when the frame has no chroma; a failed run is a look that found
    /// nothing.
    public func look(yuv pixels: [UInt8], width: Int, height: Int, region: PixelBox, time: Double) -> DetectorLook {
        let rgb = YUV420Conversion.rgb(fromYUV420p: pixels, width: width, height: height)
        let found = (try? detect(pixels: rgb ?? pixels, width: width, height: height, channels: rgb == nil ? 1 : 3, region: region)) ?? []
        return DetectorLook(region: region, time: time, objects: found.map {
            DetectedObject(objectClass: $0.objectClass, confidence: Double($0.score), box: $0.box)
        })
    }
}
