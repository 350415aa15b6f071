import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    static var cluster: [APIEndpoint] {
        let administrators = Access.only(.administrator)
        let peers = ClusterPeerController.peerSignature
        let peerRefusal = APIAnswer.refused(401, "No valid `X-CityWatch-Peer` signature (or this node has no cluster secret).")
        return [
            APIEndpoint(
                method: .get, path: "/api/cluster/peer/ping", access: peers, tag: .system, summary: "Node to node: who are you",
                description: """
                    For the nodes of a cluster only, signed with the cluster secret (`X-CityWatch-Peer: node=…; time=…; \
                    signature=…`, HMAC-SHA256 of method, path, node and time, good for 60 s of the cluster's time). → \
                    `{node, asker, camerasHeld}`. Each node asks every peer each lease: the Nodes view shows an unreachable \
                    address or a different secret
                    """,
                answers: [.ok(object(nil, ["node": text, "asker": text, "camerasHeld": integer])), peerRefusal]),
            APIEndpoint(
                method: .get, path: "/api/cluster/peer/cameras/:id/live", access: peers, tag: .system, summary: "Node to node: live video",
                description: """
                    Signed like the ping. The camera's live fragmented MP4 as this node records it, for as long as the asking \
                    node reads; the asking node fans it out to its viewers (one stream per camera) and writes their audit \
                    entries. 409 when the camera is not recorded here
                    """,
                answers: [.file(.mp4, "The live stream."), peerRefusal, .refused(409, "The camera is not recorded on this node.")],
                fuzzing: .skip("an endless stream, for nodes only")),
            APIEndpoint(
                method: .get, path: "/api/cluster/peer/segments/:id", access: peers, tag: .system, summary: "Node to node: a segment",
                description: """
                    Signed like the ping. A segment file this node recorded, for playback or export through another node \
                    (which checks the viewer's rights and masks, and writes the audit entry). 404 when this node did not \
                    record it or retention deleted it
                    """,
                answers: [.file(.mp4, "The segment."), peerRefusal, .refused(404, "Not recorded here, or deleted.")]),
            APIEndpoint(
                method: .get, path: "/api/cluster/peer/exports/:id", access: peers, tag: .system, summary: "Node to node: an export",
                description: """
                    Signed like the ping. The zip of an evidence export this node made, for a download through another node \
                    (which checks the user's rights against the manifest and writes the audit entry). 404 when it was not \
                    made here
                    """,
                answers: [.file(.zip, "The export."), peerRefusal, .refused(404, "Not made on this node.")]),
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
                `storeUnreachable`, `nameInUse` or `stopped`. `link` (the answering node's view of each live peer, probed \
                each lease): `ok`, `unreachable` (its address does not answer), `refused` (most often a different cluster \
                secret) or `noSecret` (the answering node has none), with `linkDetail`. `capacity`: the cameras it \
                takes, held below `CITYWATCH_NODE_CAPACITY` when its analysis capacity `analysisFPS` (frames a second; \
                absent: no limit) binds. `starting`: registered but not yet taking cameras (its recorder reconciles \
                its disk); the others hand it none until then.
                """, [
                    "name": text, "address": text, "capacity": integer, "analysisFPS": optional(integer), "version": text, "draining": boolean,
                    "starting": boolean, "alive": boolean,
                    "silentSeconds": number, "cameras": integer, "startedAt": time, "heartbeatAt": time, "stoppedAt": optional(time),
                    "answering": boolean, "state": optional(text), "stateDetail": optional(text),
                    "link": optional(text), "linkDetail": optional(text),
                ]),
            "UnadoptedFootage": object("A file kept on `node` but not indexed: the camera was another node's at that time.", [
                "cameraId": uuid, "node": text, "path": text, "from": time, "to": time, "bytes": integer, "reason": text, "foundAt": time,
            ]),
        ]
    }
}
