import CityWatchDomain

/// Why an account operation was refused.
public enum AccountError: Error, Equatable, CustomStringConvertible {
    /// The user name breaks the naming rule.
    case invalidUsername(String)
    /// Another user has the name.
    case usernameTaken(String)
    /// No user with that id or name.
    case unknownUser(String)
    /// No camera group with that id.
    case unknownGroup(String)
    /// A group with that name exists.
    case groupNameTaken(String)
    /// The group's name is empty or longer than 80 characters.
    case invalidGroupName(String)
    /// The group's rule cannot hold cameras.
    case invalidRule(CameraGroupRule.Problem)
    /// The new password breaks the password rules.
    case passwordRejected(PasswordPolicy.Problem)
    /// The current password given for a change is wrong.
    case wrongCurrentPassword
    /// The change would leave no enabled administrator.
    case lastAdministrator

    public var description: String {
        switch self {
        case .invalidUsername(let name):
            "user name '\(name.prefix(40))' must be 3–32 characters of a–z, 0–9, '.', '_' or '-', starting with a letter"
        case .usernameTaken(let name): "a user named '\(name)' exists already"
        case .unknownUser(let id): "no user '\(id)'"
        case .unknownGroup(let id): "no camera group '\(id)'"
        case .groupNameTaken(let name): "a camera group named '\(name)' exists already"
        case .invalidGroupName(let name): "field 'name': a camera group's name is 1–80 characters, not \(name.count)"
        case .invalidRule(let problem): "rule: \(problem)"
        case .passwordRejected(let problem): problem.description
        case .wrongCurrentPassword: "the current password is wrong"
        case .lastAdministrator: "this would leave no enabled administrator"
        }
    }
}
