/// Rules for passwords people choose, and the generator for the ones CityWatch hands out.
public enum PasswordPolicy {
    /// Shortest password a person may choose.
    public static let minimumLength = 12
    /// Longest accepted (bcrypt reads only 72 bytes).
    public static let maximumBytes = 72

    /// Why a chosen password is refused.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case tooShort(minimum: Int)
        case tooLong(maximumBytes: Int)
        case containsUserName
        case tooFewDistinctCharacters
        case sameAsCurrent

        public var description: String {
            switch self {
            case .tooShort(let minimum): "the new password must have at least \(minimum) characters"
            case .tooLong(let maximum): "the new password must be at most \(maximum) bytes"
            case .containsUserName: "the new password must not contain the user name"
            case .tooFewDistinctCharacters: "the new password must use at least 6 different characters"
            case .sameAsCurrent: "the new password must differ from the current one"
            }
        }
    }

    /// Checks a password a person chose.
    public static func check(_ password: String, userName: String, current: String? = nil) throws(Problem) {
        guard password.count >= minimumLength else { throw .tooShort(minimum: minimumLength) }
        guard password.utf8.count <= maximumBytes else { throw .tooLong(maximumBytes: maximumBytes) }
        guard userName.count < 3 || !password.lowercased().contains(userName.lowercased()) else { throw .containsUserName }
        guard Set(password).count >= 6 else { throw .tooFewDistinctCharacters }
        guard password != current else { throw .sameAsCurrent }
    }

    /// Letters and digits that cannot be mistaken for each other when read aloud or copied
    /// from a screen (no 0/O, 1/l/I).
    static let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// A random password of `length` characters (about 5.8 bits each: 20 give 116 bits).
    public static func generate<R: RandomNumberGenerator>(length: Int = 20, using generator: inout R) -> String {
        String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A random password from the system's secure generator.
    public static func generate(length: Int = 20) -> String {
        var system = SystemRandomNumberGenerator()
        return generate(length: length, using: &system)
    }
}
