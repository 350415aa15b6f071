import FluentKit
import Foundation
import SQLKit

/// A camera's stream addresses. The password is stored sealed (AES-GCM with the installation's
/// credentials key) and is never returned by the API.
public final class CameraStreamModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "camera_streams"

    /// The camera's id.
    @ID(custom: "camera_id", generatedBy: .user) public var id: UUID?
    @Field(key: "main_url") public var mainURL: String
    @OptionalField(key: "sub_url") public var subURL: String?
    @OptionalField(key: "username") public var username: String?
    /// Base64 of the sealed password.
    @OptionalField(key: "password_sealed") public var passwordSealed: String?
    @Field(key: "loop") public var loop: Bool
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}
