import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    static var cluster: [APIEndpoint] {
        let administrators = Access.only(.administrator)
        return [
            APIEndpoint(
                method: .get, path: "/api/cluster/nodes", access: administrators, tag: .system, summary: "Cluster nodes",
                description: """
                    → `Cluster`: every node (live first) with its address, capacity, cameras held, seconds since its heartbeat \
                    (by the database's clock) and whether it drains; the answering node adds its own `state`; and the newest \
                    unadopted footage (files a node wrote for a camera after its lease moved on). On a single node (SQLite) \
                    `clustered` is false and the lists are empty
                    """,
                answers: [.ok(ref("Cluster"))]),
            APIEndpoint(
                method: .put, path: "/api/cluster/nodes/:name/draining", access: administrators, tag: .system, summary: "Drain a node",
                description: """
                    `{draining}` → `Cluster`. A draining node hands every camera to the others (each recording cut and indexed \
                    before the next holder connects) and takes none; `false` lets it take cameras again. Audit-logged as \
                    `cluster.drain` / `cluster.undrain`; 404 for an unknown node, 409 on a single node
                    """,
                body: .json(object(nil, ["draining": boolean])),
                answers: [.ok(ref("Cluster")), .refused(404, "No such node."), .refused(409, "A single node is not a cluster.")]),
        ]
    }
}

extension APISchemas {
    /// The cluster's nodes and unadopted footage.
    static var clusterShapes: KeyValuePairs<String, JSONSchema> {
        [
            "Cluster": object("`clustered` false on a single node (SQLite).", [
                "clustered": boolean, "leaseSeconds": integer, "nodes": list(ref("ClusterNode")), "unadopted": list(ref("UnadoptedFootage")),
            ]),
            "ClusterNode": object("""
                `alive`: a heartbeat within the lease and not stopped. `state` (the answering node only): `starting`, `active`, \
                `storeUnreachable`, `nameInUse` or `stopped`.
                """, [
                    "name": text, "address": text, "capacity": integer, "version": text, "draining": boolean, "alive": boolean,
                    "silentSeconds": number, "cameras": integer, "startedAt": time, "heartbeatAt": time, "stoppedAt": optional(time),
                    "answering": boolean, "state": optional(text), "stateDetail": optional(text),
                ]),
            "UnadoptedFootage": object("A file kept on `node` but not indexed: the camera was another node's at that time.", [
                "cameraId": uuid, "node": text, "path": text, "from": time, "to": time, "bytes": integer, "reason": text, "foundAt": time,
            ]),
        ]
    }
}
