import FluentKit

/// Every schema migration, in order. New migrations go at the end; released ones never change.
public enum CityWatchMigrations {
    public static let all: [any Migration] = [
        CreateSettings(),
        CreateSites(),
        CreateCameras(),
        CreateUsers(),
        CreateSessions(),
        CreateCameraGroups(),
        CreateAuditLog(),
        CreateRecording(),
        CreateAnalytics(),
        CreateSearchIndex(),
        AddMotionRuns(),
        CreateBells(),
        CreateIncidents(),
        CreateBellPresses(),
        CreateProvision(),
        CreatePlatformLink(),
        CreateRetaskings(),
        CreateProvisionExportJobs(),
        CreateRegistryStaging(),
        KeyBellsByRowKey(),
        CreateLoginThrottle(),
        CreateAuditCheckpoints(),
        CreateCluster(),
        AddNodeAnalysisCapacity(),
        AddSegmentTiers(),
        AddProvisionExportPercent(),
        GeneraliseExportJobs(),
        IndexAuditActions(),
        AddNodeStarting(),
    ]
}
