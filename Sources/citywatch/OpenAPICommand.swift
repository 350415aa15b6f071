import ArgumentParser
import CityWatchAPI
import Foundation

/// `citywatch openapi`: the HTTP API's OpenAPI document, or docs/API.md made from it.
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI 3.1 document of the HTTP API (what GET /api/openapi.json serves).",
        discussion: "With --markdown, print docs/API.md instead: \(APIReferenceMarkdown.regenerate)")

    @Flag(name: .customLong("markdown"), help: "Print the API reference in Markdown (docs/API.md) made from the document.")
    var markdown = false

    func run() throws {
        if markdown {
            print(APIReferenceMarkdown.render(APIDocument.make()), terminator: "")
        } else {
            print(String(decoding: try APIDocument.json(), as: UTF8.self))
        }
    }
}
