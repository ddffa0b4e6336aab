package dev.helix.mcp;

import java.time.Duration;
import java.util.List;

/**
 * The five tools of docs/mcp.md. Each schema is the body of its HTTP route (docs/api.md); each
 * description is written for the agent that reads it: when to call, what a miss means, what to do
 * when stale.
 */
final class ToolCatalog {
  /**
   * A context query embeds the query and searches the store; the first one after a server start
   * also loads the embedding model (a few seconds on 2 cores). A minute leaves room for both and
   * still ends before a typical agent's own tool timeout (the TypeScript SDK's default is 60 s).
   */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(55);

  /** Ingesting a folder is synchronous (docs/api.md) and a large tree takes minutes. */
  private static final Duration INGEST_TIMEOUT = Duration.ofMinutes(10);

  /** docs/api.md: /health answers within about a second even when the upstream hangs. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  static final Tool CONTEXT =
      new Tool(
          "helix_context",
          "Ask helix what it knows",
          "POST",
          "/context",
          QUERY_TIMEOUT,
          true,
          """
      Search the user's local helix knowledge store (their indexed source code, docs and notes) and get \
      a budgeted, cited context window with an honest verdict. Call it before answering a question \
      about this project or the user's notes, and before changing code you have not read.
      Read `verdict` first:
      - "know": `context` is evidence you may answer from; cite `citations[].source` with `lines`.
      - "miss": helix does not reliably know. `do_not_answer_from_context: true` means exactly that: \
      do not answer from this context; read the files yourself, or say you do not know.
        reason "stale": the cited files changed after they were indexed; call helix_ingest with \
      {"paths": <refresh_targets>}, then ask again.
        reason "sparse": weak evidence, shown for orientation only; verify it by reading the cited files.
        reason "no_match": nothing relevant is indexed; if the answer should be in this project, call \
      helix_ingest with the folder, then ask again.
      `recommendation` sums it up: trust | verify | refresh | escalate.""",
          """
      {
        "type": "object",
        "properties": {
          "query": {"type": "string", "minLength": 1,
            "description": "What you want to know, in words or code identifiers, e.g. 'how is the routing decision made'."},
          "max_tokens": {"type": "integer", "minimum": 1,
            "description": "Token budget of the context window (cl100k_base); default: the server's [budget] context_tokens."},
          "max_chunks": {"type": "integer", "minimum": 1,
            "description": "Most chunks to include; default: the server's [budget] max_chunks."},
          "roots": {"type": "array", "items": {"type": "string", "minLength": 1},
            "description": "Look only in these roots (indexed folders, by name; helix_stats lists them); default: everything."}
        },
        "required": ["query"],
        "additionalProperties": false
      }""");

  static final Tool PACKET =
      new Tool(
          "helix_context_packet",
          "Evidence packet for a task",
          "POST",
          "/context/packet",
          QUERY_TIMEOUT,
          true,
          """
      Build an evidence packet for a concrete task: `verified[]` holds evidence fresh enough for the \
      task, `stale_risk[]` evidence whose files changed since indexing, `refresh_targets[]` the files \
      to re-index. `task_type` sets how fresh evidence must be: edit, debug and ops are strictest, then \
      review, then explain. Call it before editing, debugging or reviewing code you rely on helix for.
      Rely only on `verified`; treat `stale_risk` as pointers to re-read, never as current truth. When \
      `refresh_targets` is not empty, call helix_ingest with {"paths": <refresh_targets>} and ask again. \
      A "miss" verdict means do not answer from this context.""",
          """
      {
        "type": "object",
        "properties": {
          "query": {"type": "string", "minLength": 1, "description": "The task or question, e.g. 'fix the retry backoff in the launcher'."},
          "task_type": {"type": "string", "enum": ["explain", "review", "edit", "debug", "ops"],
            "description": "What you are about to do; stricter freshness for edit/debug/ops than review, and for review than explain."},
          "max_chunks": {"type": "integer", "minimum": 1, "description": "Most chunks of evidence; default: the server's [budget] max_chunks."},
          "roots": {"type": "array", "items": {"type": "string", "minLength": 1},
            "description": "Look only in these roots (indexed folders, by name; helix_stats lists them); default: everything."}
        },
        "required": ["query", "task_type"],
        "additionalProperties": false
      }""");

  static final Tool INGEST =
      new Tool(
          "helix_ingest",
          "Add or refresh knowledge",
          "POST",
          "/ingest",
          INGEST_TIMEOUT,
          false,
          """
      Add knowledge to the helix store, or refresh it. Pass exactly one of:
      - {"paths": [...]}: files or folders to (re)index. Folders are walked recursively, honouring \
      .gitignore and .helixignore; unchanged files are skipped and deleted files removed, so it is \
      cheap to repeat. Relative paths are resolved against the folder helix mcp runs in. Call it \
      after you change files, with the `refresh_targets` of a "stale" miss, or with the project folder \
      after a "no_match" miss about files that should be indexed.
      - {"content": "...", "content_type": "text" | "code" | "conversation", "source": "..."}: store \
      a note, snippet or decision that has no file behind it (it never goes stale); `source` names it \
      in later citations.
      Returns what was indexed (counts of files, chunks, skipped files).""",
          """
      {
        "type": "object",
        "properties": {
          "paths": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1},
            "description": "Files or folders to index; relative paths are resolved against helix mcp's working folder."},
          "content": {"type": "string", "minLength": 1, "description": "Text to store when there is no file (use instead of paths)."},
          "content_type": {"type": "string", "enum": ["text", "code", "conversation"], "description": "Kind of `content`; required with content."},
          "source": {"type": "string", "description": "A name for `content` in citations, e.g. 'notes/decisions.md'."}
        },
        "additionalProperties": false
      }""");

  static final Tool HEALTH =
      new Tool(
          "helix_health",
          "Is helix up?",
          "GET",
          "/health",
          PROBE_TIMEOUT,
          true,
          """
      Check the helix server: service, version, pid, status (ok | degraded), store readiness and chunk \
      count, and whether its LLM upstream is reachable. Call it when another helix tool fails, or once \
      at the start of a session before relying on helix. An error result means the server is not \
      running or not reachable, and says how to start it.""",
          """
      {"type": "object", "properties": {}, "additionalProperties": false}""");

  static final Tool STATS =
      new Tool(
          "helix_stats",
          "Store size",
          "GET",
          "/stats",
          PROBE_TIMEOUT,
          true,
          """
      Totals of the helix store: {chunks, sources, store_bytes, roots[]}; each root is an indexed folder \
      {name, path, files, chunks, state, last_sync, pending}, and its name scopes helix_context. Call it \
      to see whether anything is indexed: 0 chunks means helix_context can only miss; index the project \
      with helix_ingest first.""",
          """
      {"type": "object", "properties": {}, "additionalProperties": false}""");

  static final List<Tool> ALL = List.of(CONTEXT, PACKET, INGEST, HEALTH, STATS);

  private ToolCatalog() {}
}
