// Drives `helix mcp` with the official MCP TypeScript SDK client, the way an agent does, and prints
// one JSON document on stdout for the Java test (McpServerIT) to check.
//
//   node client.mjs <command> [args...]
//
// HELIX_MCP_CLIENT_CALLS (optional): a JSON array of {"name": ..., "arguments": {...}} tool calls to
// make, in order, after listing the tools. The whole environment is passed on to the server.
//
// Output: {"server": {name, version}, "instructions", "tools": [...], "calls": [{name, result} or
// {name, error}], "exit": {code, signal, ms_after_stdin_closed}}. `exit` tells whether the server
// ended by itself when its stdin closed (signal null) or had to be killed by the SDK (SIGTERM).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node client.mjs <command> [args...]');
  process.exit(2);
}
const calls = JSON.parse(process.env.HELIX_MCP_CLIENT_CALLS ?? '[]');

const transport = new StdioClientTransport({ command, args, env: { ...process.env }, stderr: 'inherit' });
const client = new Client({ name: 'helix-test-client', version: '1.0.0' });
await client.connect(transport);

const report = {
  server: client.getServerVersion(),
  instructions: client.getInstructions() ?? null,
  tools: (await client.listTools()).tools,
  calls: [],
};
for (const call of calls) {
  try {
    const result = await client.callTool({ name: call.name, arguments: call.arguments ?? {} });
    report.calls.push({ name: call.name, result });
  } catch (error) {
    // A protocol-level error: helix should never give one for a tool call.
    report.calls.push({ name: call.name, error: { code: error.code ?? null, message: String(error.message ?? error) } });
  }
}

// The SDK ends stdin, waits up to 2 s for the process to exit, then sends SIGTERM: watch which.
const child = transport._process;
const exited = new Promise((resolve) => {
  if (!child || child.exitCode !== null) {
    resolve({ code: child?.exitCode ?? null, signal: null });
  } else {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }
});
const closedAt = Date.now();
await client.close();
const exit = await exited;
report.exit = { ...exit, ms_after_stdin_closed: Date.now() - closedAt };

process.stdout.write(JSON.stringify(report) + '\n');
