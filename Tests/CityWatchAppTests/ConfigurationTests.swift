import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test func defaultsGiveSQLiteUnderTheDataFolderOnLoopback() throws {
        let configuration = try Configuration.resolve()
        #expect(configuration.database == .sqlite(path: ".citywatch/citywatch.sqlite"))
        #expect(configuration.httpHost == "127.0.0.1" && configuration.httpPort == 8080)
        #expect(configuration.bcryptCost == 12)
        #expect(configuration.tileURL == Configuration.openStreetMapTiles)
    }

    @Test func sessionCookiesAreSecureOffTheLoopbackUnlessToldOtherwise() throws {
        #expect(try Configuration.resolve().secureCookies == false, "the demo on 127.0.0.1 over plain HTTP")
        #expect(try Configuration.resolve(flags: [.httpAddress: "[::1]:8080"]).secureCookies == false)
        #expect(try Configuration.resolve(flags: [.httpAddress: "0.0.0.0:8080"]).secureCookies == true)
        #expect(try Configuration.resolve(flags: [.httpAddress: "10.0.0.5:443"]).secureCookies == true)
        #expect(try Configuration.resolve(flags: [.httpAddress: "0.0.0.0:8080"], environment: ["CITYWATCH_SECURE_COOKIES": "false"]).secureCookies == false)
    }

    @Test func metricsAreOffWithoutATokenAndAShortTokenIsRefused() throws {
        #expect(try Configuration.resolve().metricsToken == nil)
        let token = "0123456789abcdef0123456789abcdef"
        #expect(try Configuration.resolve(environment: ["CITYWATCH_METRICS_TOKEN": token]).metricsToken == token)
        #expect(throws: Configuration.Problem.self) { try Configuration.resolve(environment: ["CITYWATCH_METRICS_TOKEN": "short"]) }
    }

    @Test func clusterNodeSettingsHaveDefaultsAndBadOnesAreNamed() throws {
        let defaults = try Configuration.resolve()
        #expect(!defaults.nodeName.isEmpty && defaults.nodeAddress == nil && defaults.nodeCapacity == 64 && defaults.leaseSeconds == 10)
        #expect(defaults.nodeAnalysisFPS == nil)
        let set = try Configuration.resolve(environment: [
            "CITYWATCH_NODE_NAME": "cctv-node-2", "CITYWATCH_NODE_ADDRESS": "http://10.0.0.12:8080", "CITYWATCH_NODE_CAPACITY": "0",
            "CITYWATCH_LEASE_SECONDS": "5", "CITYWATCH_CAMERAS_MOVED_PER_MINUTE": "12", "CITYWATCH_NODE_ANALYSIS_FPS": "120",
        ])
        #expect(set.nodeAnalysisFPS == 120)
        #expect(set.nodeName == "cctv-node-2" && set.nodeAddress == "http://10.0.0.12:8080" && set.nodeCapacity == 0)
        #expect(set.leaseSeconds == 5 && set.camerasMovedPerMinute == 12)
        for (name, value) in [("CITYWATCH_NODE_NAME", "node one"), ("CITYWATCH_NODE_ADDRESS", "10.0.0.12:8080"),
                              ("CITYWATCH_NODE_CAPACITY", "-1"), ("CITYWATCH_LEASE_SECONDS", "1"),
                              ("CITYWATCH_NODE_ANALYSIS_FPS", "fast")] {
            do {
                _ = try Configuration.resolve(environment: [name: value])
                Issue.record("\(name)=\(value) was taken")
            } catch let problem as Configuration.Problem {
                #expect(problem.setting == name && problem.reason.contains(value), "\(problem)")
            }
        }
    }

    @Test func archiveTierSettingsHaveStatedDefaultsAndBadOnesAreNamed() throws {
        let defaults = try Configuration.resolve()
        #expect(defaults.archiveDirectory == nil && defaults.archiveAfterHours == 24 && defaults.archiveQuotaBytes == nil)
        #expect(defaults.hotMoveBelowFreePercent == 20 && defaults.tierRefuseBelowFreePercent == 5 && defaults.archiveMoveSeconds == 60)
        #expect(defaults.archiveMoveMegabytesPerSecond == 100)
        let set = try Configuration.resolve(environment: [
            "CITYWATCH_ARCHIVE_DIR": "/mnt/nas/cctv/", "CITYWATCH_ARCHIVE_AFTER_HOURS": "0.5", "CITYWATCH_ARCHIVE_QUOTA_GB": "2",
            "CITYWATCH_HOT_MOVE_BELOW_FREE_PERCENT": "15", "CITYWATCH_TIER_REFUSE_BELOW_FREE_PERCENT": "2.5", "CITYWATCH_ARCHIVE_MOVE_SECONDS": "30",
            "CITYWATCH_ARCHIVE_MOVE_MB_PER_SECOND": "0",
        ])
        #expect(set.archiveMoveMegabytesPerSecond == 0)
        #expect(set.archiveDirectory == "/mnt/nas/cctv" && set.archiveAfterHours == 0.5 && set.archiveQuotaBytes == 2 * 1_073_741_824)
        #expect(set.hotMoveBelowFreePercent == 15 && set.tierRefuseBelowFreePercent == 2.5 && set.archiveMoveSeconds == 30)
        for (name, value) in [("CITYWATCH_ARCHIVE_DIR", "nas/cctv"), ("CITYWATCH_ARCHIVE_AFTER_HOURS", "-1"),
                              ("CITYWATCH_ARCHIVE_QUOTA_GB", "lots"), ("CITYWATCH_HOT_MOVE_BELOW_FREE_PERCENT", "100"),
                              ("CITYWATCH_TIER_REFUSE_BELOW_FREE_PERCENT", "nan"), ("CITYWATCH_ARCHIVE_MOVE_SECONDS", "0"),
                              ("CITYWATCH_ARCHIVE_MOVE_MB_PER_SECOND", "-5")] {
            do {
                _ = try Configuration.resolve(environment: [name: value])
                Issue.record("\(name)=\(value) was taken")
            } catch let problem as Configuration.Problem {
                #expect(problem.setting == name && problem.reason.contains(value), "\(problem)")
            }
        }
        // The archive apart from the recordings folder, neither inside the other.
        for archive in ["/srv/cw/recordings/archive", "/srv"] {
            do {
                _ = try Configuration.resolve(environment: ["CITYWATCH_RECORDINGS_DIR": "/srv/cw/recordings", "CITYWATCH_ARCHIVE_DIR": archive])
                Issue.record("archive \(archive) was taken")
            } catch let problem as Configuration.Problem {
                #expect(problem.setting == "CITYWATCH_ARCHIVE_DIR" && problem.reason.contains("apart from the recordings folder"), "\(problem)")
            }
        }
    }

    @Test func aClusterSecretIsLongAndNeverEchoedWhenRefused() throws {
        #expect(try Configuration.resolve().clusterSecret == nil)
        let secret = String(repeating: "7f", count: 32)
        #expect(try Configuration.resolve(environment: ["CITYWATCH_CLUSTER_SECRET": secret]).clusterSecret == secret)
        for bad in ["too-short-secret", String(repeating: "a", count: 20) + " " + String(repeating: "b", count: 20)] {
            do {
                _ = try Configuration.resolve(environment: ["CITYWATCH_CLUSTER_SECRET": bad])
                Issue.record("'\(bad)' was taken")
            } catch let problem as Configuration.Problem {
                #expect(problem.setting == "CITYWATCH_CLUSTER_SECRET" && problem.reason.contains("32 characters") && !problem.description.contains(bad))
            }
        }
    }

    @Test func trustedProxiesAreAddressesOrRangesAndABadOneIsNamed() throws {
        #expect(try Configuration.resolve().trustedProxies.isEmpty)
        let proxies = try Configuration.resolve(environment: ["CITYWATCH_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/24,::1"]).trustedProxies
        #expect(proxies.map(\.description) == ["127.0.0.1", "10.0.0.0/24", "0:0:0:0:0:0:0:1"])
        do {
            _ = try Configuration.resolve(environment: ["CITYWATCH_TRUSTED_PROXIES": "10.0.0.1,10.0.0/33"])
            Issue.record("a bad range was taken")
        } catch let problem as Configuration.Problem {
            #expect(problem.setting == "CITYWATCH_TRUSTED_PROXIES" && problem.reason.contains("'10.0.0/33'"))
        }
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheFile() throws {
        let file = """
            # site settings
            CITYWATCH_HTTP_ADDRESS=0.0.0.0:9000
            CITYWATCH_DATA_DIR="/var/lib/citywatch"
            CITYWATCH_TILE_URL=none
            """
        let configuration = try Configuration.resolve(
            flags: [.databaseURL: "postgres://cw@db:5432/citywatch"],
            environment: ["CITYWATCH_HTTP_ADDRESS": "10.0.0.5:8081", "CITYWATCH_DATABASE_URL": "sqlite://ignored.sqlite"],
            fileText: file)
        #expect(configuration.database == .postgres(url: "postgres://cw@db:5432/citywatch"))
        #expect(configuration.httpHost == "10.0.0.5" && configuration.httpPort == 8081)
        #expect(configuration.dataDirectory == "/var/lib/citywatch")
        #expect(configuration.tileURL == nil)
    }

    @Test func badValuesNameTheSettingAndWhereItCameFrom() {
        #expect(throws: Configuration.Problem.self) { try Configuration.resolve(environment: ["CITYWATCH_HTTP_ADDRESS": "nowhere"]) }
        do {
            _ = try Configuration.resolve(environment: ["CITYWATCH_DATABASE_URL": "mysql://x"])
            Issue.record("expected a problem")
        } catch let problem as Configuration.Problem {
            #expect(problem.setting == "CITYWATCH_DATABASE_URL")
            #expect(problem.source == "environment CITYWATCH_DATABASE_URL")
            #expect(problem.reason.contains("sqlite:// or postgres://"))
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: Configuration.Problem.self) { try Configuration.resolve(fileText: "CITYWATCH_NOPE=1") }
        #expect(throws: Configuration.Problem.self) { try Configuration.resolve(fileText: "just words") }
        #expect(throws: Configuration.Problem.self) { try Configuration.resolve(environment: ["CITYWATCH_BCRYPT_COST": "99"]) }
        #expect(throws: Configuration.Problem.self) { try Configuration.resolve(environment: ["CITYWATCH_TILE_URL": "ftp://tiles"]) }
    }

    @Test func databasePasswordsAreHiddenWhenPrinted() throws {
        let location = try DatabaseLocation(url: "postgres://cw:s3cret@db:5432/citywatch")
        #expect(location.description == "postgres://cw:***@db:5432/citywatch")
    }
}
