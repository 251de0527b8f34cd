// The official TypeScript MCP SDK client against TutorClaw's /mcp (Streamable HTTP).
//
//   node mcp-http-client.mjs <url> [token]
//
// The token may also come from TUTORCLAW_MCP_TOKEN. Connects, lists the tools, registers a
// learner and reads their tier. When the server issued a session (stateful mode), it then
// terminates the session (DELETE) and checks the old session id now answers 404; a stateless
// server issues none, so there is nothing to end. Prints one JSON summary line on stdout. Exit code 0 when every step worked,
// 1 otherwise (the summary then says which step failed), 2 on bad usage.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, tokenArgument] = process.argv.slice(2);
const token = tokenArgument || process.env.TUTORCLAW_MCP_TOKEN || undefined;
if (!url) {
  console.error("usage: node mcp-http-client.mjs <url> [token]");
  process.exit(2);
}

const summary = {
  ok: false,
  step: "connect",
  url,
  protocolVersion: null,
  sessionId: null,
  tools: [],
  learnerId: null,
  tier: null,
  sessionTerminated: false,
  reusedSessionStatus: null,
  error: null,
};

const deadline = setTimeout(() => finish(new Error("timed out after 30 s")), 30_000);
deadline.unref();

function finish(error) {
  if (error) {
    summary.error = error instanceof Error ? error.message : String(error);
  } else {
    summary.ok = true;
    summary.step = "done";
  }
  process.stdout.write(JSON.stringify(summary) + "\n");
  process.exit(summary.ok ? 0 : 1);
}

/** A tool result's JSON: structuredContent, else the JSON text content; an isError result throws. */
function resultJson(result, tool) {
  const text = result.content?.find((c) => c.type === "text")?.text;
  if (result.isError) {
    throw new Error(`${tool} failed: ${text ?? "no message"}`);
  }
  return result.structuredContent ?? JSON.parse(text);
}

const authorization = token ? { Authorization: `Bearer ${token}` } : {};

try {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: authorization },
  });
  const client = new Client({ name: "tutorclaw-js-client", version: "1.0.0" });
  await client.connect(transport);
  summary.sessionId = transport.sessionId ?? null;
  summary.protocolVersion = transport.protocolVersion ?? null;

  summary.step = "tools/list";
  const { tools } = await client.listTools();
  summary.tools = tools.map((t) => t.name).sort();

  summary.step = "register_learner";
  const registered = resultJson(
    await client.callTool({ name: "register_learner", arguments: { name: "Grace", phone: "+15550001111" } }),
    "register_learner",
  );
  summary.learnerId = registered.learner_id;

  summary.step = "get_learner_tier";
  const tier = resultJson(
    await client.callTool({ name: "get_learner_tier", arguments: { learner_id: summary.learnerId } }),
    "get_learner_tier",
  );
  summary.tier = tier.tier;

  if (!summary.sessionId) {
    // Stateless: no session to end.
    await client.close();
    finish();
  }

  summary.step = "terminate";
  await transport.terminateSession();
  summary.sessionTerminated = transport.sessionId === undefined;
  await client.close();

  // From outside the SDK: the ended session's id must now be unknown to the server.
  summary.step = "reuse";
  const reused = await fetch(url, {
    method: "POST",
    headers: {
      ...authorization,
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      "Mcp-Session-Id": summary.sessionId,
      "MCP-Protocol-Version": summary.protocolVersion,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 99, method: "tools/list" }),
  });
  summary.reusedSessionStatus = reused.status;
  await reused.body?.cancel();
  if (reused.status !== 404) {
    throw new Error(`the terminated session answered ${reused.status}, not 404`);
  }
  finish();
} catch (error) {
  finish(error);
}
