// A short, bounded load against the running Worker (loopback only): half the requests create
// users (POST /Users), then half list with a filter (GET /Users?filter=userName eq "…", the
// lookup identity providers make before every change), with a fixed concurrency. Prints p50,
// p90, p99 and max latency per kind; exits 1 when any request did not succeed.
//
//   SCIM_URL=http://127.0.0.1:PORT SCIM_TOKEN=… node tests/worker/load.mjs --requests 2000 --concurrency 8
import { BASE, TOKEN, unique, USER } from "./lib/client.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const total = Number(args.requests ?? 2000);
const concurrency = Number(args.concurrency ?? 8);
if (!new URL(BASE).hostname.match(/^(127\.0\.0\.1|localhost|\[::1\])$/)) {
  console.error(`refusing to load ${BASE}: loopback only`);
  process.exit(2);
}
const headers = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/scim+json" };
const run = unique();
const creates = Math.floor(total / 2);
const lists = total - creates;
const names = Array.from({ length: creates }, (_, i) => `load.${run}.${i}@example.com`);

/** Runs `count` requests made by `make(i)` with `concurrency` in flight; latencies in ms. */
async function phase(count, make) {
  const latencies = [];
  const statuses = new Map();
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      const response = await make(i);
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { count, seconds, statuses, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1] };
}

const report = (label, r) =>
  console.log(
    `${label.padEnd(40)} n=${r.count}  p50 ${r.p50.toFixed(1)} ms  p90 ${r.p90.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ` +
      `max ${r.max.toFixed(1)} ms  ${(r.count / r.seconds).toFixed(0)} req/s  statuses ${JSON.stringify(Object.fromEntries(r.statuses))}`,
  );

// Warm the isolate (first requests compile the module and open D1).
for (let i = 0; i < 5; i++) await (await fetch(`${BASE}/ServiceProviderConfig`, { headers })).arrayBuffer();

const post = await phase(creates, (i) =>
  fetch(`${BASE}/Users`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      schemas: [USER],
      userName: names[i],
      name: { givenName: "Load", familyName: `Test ${i}` },
      emails: [{ value: names[i], type: "work", primary: true }],
      active: true,
    }),
  }),
);
const get = await phase(lists, (i) => {
  const filter = encodeURIComponent(`userName eq "${names[(i * 7919) % creates].toUpperCase()}"`);
  return fetch(`${BASE}/Users?filter=${filter}`, { headers });
});

console.log(`load: ${total} requests on loopback, concurrency ${concurrency}`);
report("POST /Users (create)", post);
report('GET /Users?filter=userName eq "…"', get);
const bad = [...post.statuses, ...get.statuses].filter(([status]) => status >= 300);
if (bad.length) {
  console.error(`failed requests: ${JSON.stringify(bad)}`);
  process.exit(1);
}
