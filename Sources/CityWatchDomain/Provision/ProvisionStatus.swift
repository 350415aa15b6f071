/// Where a provision request stands: requested → approved | refused, approved → exported.
public enum ProvisionStatus: String, Codable, Sendable, CaseIterable {
    /// Filed, waiting for the privacy officer.
    case requested
    /// Approved by a privacy officer; the footage may now be exported.
    case approved
    /// Refused by a privacy officer, with a reason; final.
    case refused
    /// Exported with third parties masked and entered in the ledger; final.
    case exported
}
