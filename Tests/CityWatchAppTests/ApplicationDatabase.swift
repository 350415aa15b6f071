import Fluent
import FluentKit
import Vapor

extension Application: ApplicationDatabase {
    var database: any Database { db }
}
