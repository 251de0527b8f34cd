// Every TutorClaw tool, in success and error cases, through the official TypeScript MCP SDK client,
// with every result checked against the tool's outputSchema.
//
//   node tool-results.mjs <url> <subscriber_learner_id> [token]
//
// <subscriber_learner_id> is a learner the caller has put on the monthly plan (so Stripe knows
// them as a customer and get_billing_portal_url can succeed). The token may also come from
// TUTORCLAW_MCP_TOKEN.
//
// The SDK's Client validates structuredContent against the tool's outputSchema on every call
// (isError or not) and throws on a mismatch; this script gives the Client a validator that counts
// those validations, so a call the Client did not validate fails the run. It also validates every
// result itself with the SDK's own Ajv validator, checks that the schema rejects a broken copy of
// the result (so it is not vacuous), that a success's structuredContent equals its JSON text, and
// that an error is one sentence whose structuredContent holds the same sentence.
//
// Prints one JSON summary line on stdout: each call's tool, case, isError, text and
// structuredContent. Exit code 0 when every check passed, 1 otherwise (the summary's error says
// which), 2 on bad usage.
import { isDeepStrictEqual } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";

const [url, subscriber, tokenArgument] = process.argv.slice(2);
const token = tokenArgument || process.env.TUTORCLAW_MCP_TOKEN || undefined;
if (!url || !subscriber) {
  console.error("usage: node tool-results.mjs <url> <subscriber_learner_id> [token]");
  process.exit(2);
}

const summary = { ok: false, step: "connect", tools: [], calls: [], error: null };

const deadline = setTimeout(() => finish(new Error("timed out after 45 s")), 45_000);
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

/** The Client's own validator, counting each validation it runs. */
class CountingValidator {
  constructor() {
    this.inner = new AjvJsonSchemaValidator();
    this.validations = 0;
  }

  getValidator(schema) {
    const validate = this.inner.getValidator(schema);
    return (input) => {
      this.validations += 1;
      return validate(input);
    };
  }
}

const sdkValidator = new CountingValidator();
const ownValidator = new AjvJsonSchemaValidator();
const schemas = new Map();

/** A copy of a result the tool's schema must refuse: a required property dropped, or a number for message. */
function broken(structured, isError) {
  if (isError) {
    return { ...structured, message: 42 };
  }
  const [first] = Object.keys(structured);
  const { [first]: _dropped, ...rest } = structured;
  return rest;
}

async function call(client, tool, label, args) {
  summary.step = `${tool}: ${label}`;
  const before = sdkValidator.validations;
  // Throws when the Client finds structuredContent that does not match the outputSchema.
  const result = await client.callTool({ name: tool, arguments: args });
  const validatedBySdk = sdkValidator.validations - before;
  const isError = result.isError === true;
  const texts = (result.content ?? []).filter((c) => c.type === "text");
  const text = texts[0]?.text;
  const structured = result.structuredContent;

  if (structured === undefined) {
    throw new Error(`${summary.step}: no structuredContent`);
  }
  if (validatedBySdk !== 1) {
    throw new Error(`${summary.step}: the SDK client validated the result ${validatedBySdk} times, not once`);
  }
  const validate = schemas.get(tool);
  const own = validate(structured);
  if (!own.valid) {
    throw new Error(`${summary.step}: structuredContent does not match the outputSchema: ${own.errorMessage}`);
  }
  if (validate(broken(structured, isError)).valid) {
    throw new Error(`${summary.step}: the outputSchema accepts a broken result`);
  }
  if (result.content.length !== 1 || texts.length !== 1) {
    throw new Error(`${summary.step}: expected exactly one text content block, got ${JSON.stringify(result.content)}`);
  }
  if (isError) {
    if (/\n/.test(text) || !/[.!?]$/.test(text)) {
      throw new Error(`${summary.step}: the error is not one sentence: ${text}`);
    }
    if (structured.message !== text) {
      throw new Error(`${summary.step}: structuredContent.message differs from the text: ${JSON.stringify(structured)}`);
    }
  } else if (!isDeepStrictEqual(JSON.parse(text), structured)) {
    throw new Error(`${summary.step}: structuredContent differs from the JSON text content`);
  }
  summary.calls.push({ tool, case: label, isError, validatedBySdk: validatedBySdk === 1, text, structured });
  return structured;
}

const authorization = token ? { Authorization: `Bearer ${token}` } : {};

try {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: authorization },
  });
  const client = new Client({ name: "tutorclaw-tool-results", version: "1.0.0" }, { jsonSchemaValidator: sdkValidator });
  await client.connect(transport);

  summary.step = "tools/list";
  const { tools } = await client.listTools();
  for (const tool of tools) {
    summary.tools.push({ name: tool.name, outputSchema: tool.outputSchema !== undefined });
    if (!tool.outputSchema) {
      throw new Error(`${tool.name} has no outputSchema`);
    }
    schemas.set(tool.name, ownValidator.getValidator(tool.outputSchema));
  }

  const phone = "+15550002222";
  const learner = await call(client, "register_learner", "new learner", { name: "Ada", phone });
  const id = learner.learner_id;
  await call(client, "register_learner", "same phone again", { name: "Ada", phone });
  await call(client, "register_learner", "empty name", { name: "" });

  await call(client, "get_learner_tier", "free learner", { learner_id: id });
  await call(client, "get_learner_tier", "subscriber", { learner_id: subscriber });
  await call(client, "get_learner_tier", "unknown learner", { learner_id: "learner_nobody" });
  await call(client, "get_learner_tier", "invalid learner_id", { learner_id: "not a valid id" });

  await call(client, "check_chapter_access", "free chapter", { learner_id: id, chapter: 1 });
  await call(client, "check_chapter_access", "paid chapter", { learner_id: id, chapter: 99 });
  await call(client, "check_chapter_access", "chapter 0", { learner_id: id, chapter: 0 });
  await call(client, "check_chapter_access", "learner_id of the wrong type", { learner_id: 42, chapter: 1 });

  await call(client, "get_upgrade_url", "free learner", { learner_id: id });
  await call(client, "get_learner_tier", "free learner with an open link", { learner_id: id });
  await call(client, "get_upgrade_url", "unknown learner", { learner_id: "learner_nobody" });

  await call(client, "get_billing_portal_url", "subscriber", { learner_id: subscriber });
  await call(client, "get_billing_portal_url", "learner without a plan", { learner_id: id });
  await call(client, "get_billing_portal_url", "invalid learner_id", { learner_id: "../etc" });

  await client.close();
  finish();
} catch (error) {
  finish(error);
}
