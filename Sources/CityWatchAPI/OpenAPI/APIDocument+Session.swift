import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    static var session: [APIEndpoint] {
        [
            APIEndpoint(
                method: .post, path: "/api/login", access: .open, tag: .session, summary: "Sign in",
                description: """
                    `{username, password}` as JSON → `{user, csrfToken}` and the session cookie; 401 bad credentials; 429 with \
                    `Retry-After` (seconds) after too many failures; 415 for any other Content-Type; 403 from another origin or \
                    `Origin: null`
                    """,
                body: .json(object(nil, ["username": text, "password": text])),
                answers: [
                    .ok(ref("Session"), "Signed in; the `cw_session` cookie is set."),
                    .refused(401, "Wrong user name or password."),
                    .refused(403, "Posted from another site, or with `Origin: null`."),
                    .refused(415, "Not sent as JSON."),
                    APIAnswer(status: 429, description: "Too many failed logins; `Retry-After` says when to try again.",
                              content: [(.json, ref("Error"))], headers: ["Retry-After": integer]),
                ],
                fuzzing: .skip("the login throttle would lock the fuzzer's address out")),
            APIEndpoint(
                method: .post, path: "/api/logout", access: .signedIn, tag: .session, summary: "Sign out",
                description: "→ 204; the session ends and its cookie is cleared",
                answers: [.noContent("Signed out.")], fuzzing: .destructive),
            APIEndpoint(
                method: .get, path: "/api/session", access: .signedIn, tag: .session, summary: "The current session",
                description: "→ `{user, csrfToken}`",
                answers: [.ok(ref("Session"))]),
            APIEndpoint(
                method: .post, path: "/api/session/password", access: .signedIn, tag: .session, summary: "Change one's own password",
                description: "`{currentPassword, newPassword}` → 204; 400 with the rule broken or a wrong current password",
                body: .json(object(nil, ["currentPassword": text, "newPassword": text])),
                answers: [.noContent("Changed; other sessions of the user end.")]),
        ]
    }

    static var system: [APIEndpoint] {
        [
            APIEndpoint(
                method: .get, path: "/healthz", access: .open, tag: .system, summary: "Health",
                description: "→ `{status: \"ok\", database: \"ok\", recording}` or 503",
                answers: [.ok(ref("ServerHealth")),
                          APIAnswer(status: 503, description: "The database cannot be reached.", content: [(.json, ref("ServerHealth"))])]),
            APIEndpoint(
                method: .get, path: "/metrics", access: .credential("metrics token"), tag: .system, summary: "Prometheus metrics",
                description: """
                    `Authorization: Bearer <CITYWATCH_METRICS_TOKEN>` → Prometheus text format, for this node: Vapor's HTTP \
                    metrics by method, route and status; cameras by purpose and state; cameras recorded here by health, ffmpeg \
                    restarts, recording gaps, the recording index; analysis frames analysed and dropped, the analytics write \
                    queue, the detector's runs, queue, latency and answers by class; live viewers; 401 without the configured \
                    token, or when none is configured (metrics off)
                    """,
                answers: [APIAnswer(status: 200, description: "The metrics.", content: [(.txt, text)]),
                          .refused(401, "No token, a wrong one, or metrics off.")],
                fuzzing: .skip("needs the scraper's token, which the fuzz servers do not set")),
            APIEndpoint(
                method: .get, path: "/api/openapi.json", access: .open, tag: .system, summary: "This document",
                description: """
                    → the OpenAPI 3.1 document of the API (what docs/API.md is made from). Open like the console's scripts, \
                    which reveal the same routes: it holds no data, only shapes
                    """,
                answers: [.ok(.object, "The document.")]),
            APIEndpoint(
                method: .get, path: "/api/config", access: .signedIn, tag: .system, summary: "The console's settings",
                description: "→ `{tileURL, tileAttribution, center: [lat, lon], zoom}`; without `tileURL` no base map (plain background)",
                answers: [.ok(ref("ConsoleConfig"))]),
            APIEndpoint(
                method: .get, path: "/api/purposes", access: .signedIn, tag: .system, summary: "Camera purposes",
                description: "→ `[{code, name, nameEnglish, color}]`",
                answers: [.ok(list(ref("Purpose")))]),
        ]
    }
}
