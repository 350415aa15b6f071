import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Zone raster")
struct ZoneRasterTests {
    @Test func rectangleCoversThePixelsWhoseCentresAreInside() {
        let left = ImagePolygon(points: [.init(x: 0, y: 0), .init(x: 0.25, y: 0), .init(x: 0.25, y: 0.5), .init(x: 0, y: 0.5)])
        let raster = ZoneRaster(width: 320, height: 180, polygons: [left])
        #expect(raster.coveredCount == 80 * 90)
        #expect(raster.contains(column: 79, row: 89) && !raster.contains(column: 80, row: 89) && !raster.contains(column: 0, row: 90))
    }

    @Test func triangleCoversAboutHalfItsBoxAndAgreesWithThePolygon() {
        let triangle = ImagePolygon(points: [.init(x: 0.1, y: 0.1), .init(x: 0.9, y: 0.1), .init(x: 0.1, y: 0.9)])
        let raster = ZoneRaster(width: 200, height: 100, polygons: [triangle])
        let expected = 0.5 * 160 * 80
        #expect(abs(Double(raster.coveredCount) - expected) < 160)
        for row in stride(from: 0, to: 100, by: 7) {
            for column in stride(from: 0, to: 200, by: 7) {
                let centre = ImagePoint(x: (Double(column) + 0.5) / 200, y: (Double(row) + 0.5) / 100)
                #expect(raster.contains(column: column, row: row) == triangle.contains(centre))
            }
        }
    }

    @Test func overlappingPolygonsUniteAndDegenerateOnesCoverNothing() {
        let a = ImagePolygon(points: [.init(x: 0, y: 0), .init(x: 0.5, y: 0), .init(x: 0.5, y: 1), .init(x: 0, y: 1)])
        let b = ImagePolygon(points: [.init(x: 0.25, y: 0), .init(x: 0.75, y: 0), .init(x: 0.75, y: 1), .init(x: 0.25, y: 1)])
        let line = ImagePolygon(points: [.init(x: 0, y: 0), .init(x: 1, y: 1)])
        let raster = ZoneRaster(width: 100, height: 10, polygons: [a, b, line])
        #expect(raster.coveredCount == 75 * 10)
        #expect(ZoneRaster(width: 10, height: 10, polygons: [.wholePicture]).coveredCount == 100)
    }
}
