import CityWatchDomain
import Foundation
import Testing

/// The labels tiles and lists show: the distinctive part of an address first, sites at one
/// address told apart by what differs, cameras on one pole by their number there.
@Suite("Camera labels")
struct CameraLabelsTests {
    static func site(_ key: String, road: String, lot: String = "", purpose: String = "생활방범", view: String = "360도전방면") -> Site {
        var record = RegistryRecord()
        record.roadAddress = road
        record.lotAddress = lot
        record.purpose = CameraPurpose(registryText: purpose)
        record.viewDirection = view
        return Site(id: UUID(), registryKey: key, record: record)
    }

    static func labels(_ sites: [Site], cameras perSite: Int = 1) -> (CameraLabels, [[Camera]]) {
        let cameras = sites.map { site in (1...perSite).map { Camera(id: UUID(), siteID: site.id, position: $0) } }
        return (CameraLabels(sites: sites, cameras: cameras.flatMap { $0 }), cameras)
    }

    @Test func roadAndNumberWithoutProvinceAndDistrict() {
        let parts = SiteAddressParts(Self.site("a", road: "서울특별시 강남구 논현로115길 55 (논현동)", lot: "서울특별시 강남구 논현동 170-12").record)
        #expect(parts.short == "논현로115길 55" && parts.place == nil && parts.building == nil && parts.lot == "논현동 170-12")
        #expect(SiteAddressParts(Self.site("b", road: "경기도 성남시 분당구 판교역로 235").record).short == "판교역로 235")
        #expect(SiteAddressParts(Self.site("c", road: "서울 강남구 테헤란로 152").record).short == "테헤란로 152")
        #expect(SiteAddressParts(Self.site("d", road: "", lot: "서울특별시 강남구 역삼동 736-1").record).short == "역삼동 736-1")
    }

    @Test func aPlaceTheRegistryNamesLeadsTheLabel() {
        let bracketed = Self.site("a", road: "서울특별시 강남구 봉은사로 524", lot: "서울특별시 강남구 삼성동 159 (코엑스 주변)")
        let named = Self.site("b", road: "서울특별시 강남구 강남대로 396", lot: "강남역 사거리")
        let building = Self.site("c", road: "서울특별시 강남구 논현로111길 7 (논현동, 영동빌라맨션)", lot: "서울특별시 강남구 논현동 192-12")
        let (labels, _) = Self.labels([bracketed, named, building])
        #expect(labels.sites[bracketed.id] == "코엑스 주변 · 봉은사로 524")
        #expect(labels.sites[named.id] == "강남역 사거리 · 강남대로 396")
        // A building is only named when it is needed to tell sites apart.
        #expect(labels.sites[building.id] == "논현로111길 7")
        #expect(SiteAddressParts(building.record).building == "영동빌라맨션")
    }

    @Test func sitesAtOneAddressAreToldApartByTheFirstDetailThatDiffers() {
        let pumpRoom = Self.site("a", road: "서울특별시 강남구 헌릉로757길 61", purpose: "재난재해", view: "펌프실")
        let controlRoom = Self.site("b", road: "서울특별시 강남구 헌릉로757길 61", purpose: "재난재해", view: "관제실")
        let parking = Self.site("c", road: "서울특별시 강남구 테헤란로 1", purpose: "교통단속")
        let patrol = Self.site("d", road: "서울특별시 강남구 테헤란로 1", purpose: "생활방범")
        let twinA = Self.site("e", road: "서울특별시 강남구 도곡로 9", lot: "서울특별시 강남구 도곡동 1-1")
        let twinB = Self.site("f", road: "서울특별시 강남구 도곡로 9", lot: "서울특별시 강남구 도곡동 1-2")
        let sameA = Self.site("g", road: "서울특별시 강남구 선릉로 3")
        let sameB = Self.site("h", road: "서울특별시 강남구 선릉로 3")
        let (labels, _) = Self.labels([pumpRoom, controlRoom, parking, patrol, twinA, twinB, sameA, sameB])
        #expect(labels.sites[pumpRoom.id] == "헌릉로757길 61 · 펌프실")
        #expect(labels.sites[controlRoom.id] == "헌릉로757길 61 · 관제실")
        #expect(labels.sites[parking.id] == "테헤란로 1 · 교통단속")
        #expect(labels.sites[patrol.id] == "테헤란로 1 · 생활방범")
        #expect(labels.sites[twinA.id] == "도곡로 9 · 도곡동 1-1")
        #expect(labels.sites[twinB.id] == "도곡로 9 · 도곡동 1-2")
        #expect(labels.sites[sameA.id] == "선릉로 3 · 지점 1" && labels.sites[sameB.id] == "선릉로 3 · 지점 2")
        #expect(Set(labels.sites.values).count == 8)
    }

    @Test func camerasOnOnePoleCarryTheirNumberThereAndANamedCameraItsName() {
        let pole = Self.site("a", road: "서울특별시 강남구 테헤란로 152")
        let (labels, cameras) = Self.labels([pole], cameras: 3)
        #expect(cameras[0].map { labels.camera($0.id) } == ["테헤란로 152 · 카메라 1/3", "테헤란로 152 · 카메라 2/3", "테헤란로 152 · 카메라 3/3"])
        let named = Camera(id: UUID(), siteID: pole.id, position: 1, name: " 정문 ")
        #expect(CameraLabels(sites: [pole], cameras: [named]).camera(named.id) == "정문")
    }

    @Test func allRoundAndMisfiledViewDirectionsDoNotCount() {
        let a = Self.site("a", road: "서울특별시 강남구 역삼로 1", view: "360도 전방면")
        let b = Self.site("b", road: "서울특별시 강남구 역삼로 1", view: "200")
        let (labels, _) = Self.labels([a, b])
        #expect(labels.sites[a.id] == "역삼로 1 · 지점 1" && labels.sites[b.id] == "역삼로 1 · 지점 2")
    }
}
