import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The raw elements of a SUMO network file that the reader needs, as the XML parser met them.
struct SUMOElements {
    struct Junction {
        var id: String
        var x: String?
        var y: String?
        var line: Int
    }

    struct Lane {
        var id: String
        var attributes: [String: String]
        var line: Int
    }

    struct Edge {
        var id: String
        var attributes: [String: String]
        var line: Int
        var lanes: [Lane] = []
    }

    var location: (attributes: [String: String], line: Int)?
    var junctions: [Junction] = []
    var edges: [Edge] = []
    /// Internal and other non-road edges and junctions passed over.
    var skippedInternal = 0

    /// Parses `data`; throws ``SUMONetworkError/notXML(line:reason:)`` where it is not XML.
    static func parse(_ data: Data) throws(SUMONetworkError) -> SUMOElements {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let collector = Collector()
        parser.delegate = collector
        // On Linux `parse()` can return true after an error it recovered from: trust the first
        // error reported instead.
        let finished = parser.parse()
        if let error = collector.firstError { throw .notXML(line: error.line, reason: reason(code: error.code)) }
        guard finished else { throw .notXML(line: parser.lineNumber, reason: reason(code: (parser.parserError as? NSError)?.code ?? 0)) }
        guard collector.sawNet else { throw .notXML(line: parser.lineNumber, reason: "no <net> element: not a SUMO network") }
        return collector.elements
    }

    /// Words for the libxml2 error codes a damaged or foreign file produces most.
    private static func reason(code: Int) -> String {
        switch code {
        case 4: "no XML where the document should start"
        case 5: "the document ends early or has text after its end"
        case 39, 40, 41: "a malformed attribute"
        case 73: "'>' expected"
        case 76: "a closing tag that does not match its opening"
        default: "XML error \(code)"
        }
    }

    /// The XML parser's delegate: keeps `<location>`, `<junction>`, `<edge>` and `<lane>`.
    /// Used on one thread for one parse only.
    private final class Collector: NSObject, XMLParserDelegate {
        var elements = SUMOElements()
        var sawNet = false
        var firstError: (line: Int, code: Int)?
        /// Whether the edge being read is a road (lanes of internal edges are dropped).
        var inRoadEdge = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let line = parser.lineNumber
            switch name {
            case "net":
                sawNet = true
            case "location":
                elements.location = (attributes, line)
            case "junction":
                let id = attributes["id"] ?? ""
                // Internal junctions (":id_0") sit inside a crossing; they are not places one can start from.
                if attributes["type"] == "internal" || id.hasPrefix(":") {
                    elements.skippedInternal += 1
                } else {
                    elements.junctions.append(Junction(id: id, x: attributes["x"], y: attributes["y"], line: line))
                }
            case "edge":
                let function = attributes["function"] ?? "normal"
                inRoadEdge = function == "normal"
                if inRoadEdge {
                    elements.edges.append(Edge(id: attributes["id"] ?? "", attributes: attributes, line: line))
                } else {
                    elements.skippedInternal += 1
                }
            case "lane":
                if inRoadEdge, !elements.edges.isEmpty {
                    elements.edges[elements.edges.count - 1].lanes.append(Lane(id: attributes["id"] ?? "", attributes: attributes, line: line))
                }
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) {
            if firstError == nil { firstError = (parser.lineNumber, (error as NSError).code) }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "edge" { inRoadEdge = false }
        }
    }
}
