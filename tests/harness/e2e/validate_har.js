// Validates every transcript.har under a run directory with har-validator
// (Debian's node-har-validator; run with NODE_PATH=/usr/share/nodejs).
// Prints one line per invalid file and exits 1 if any is invalid or none
// was found.
'use strict';
const fs = require('fs');
const path = require('path');
const validator = require('har-validator');

function find(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) find(p, out);
    else if (entry.name === 'transcript.har') out.push(p);
  }
  return out;
}

async function main() {
  const files = find(process.argv[2], []);
  let bad = 0;
  for (const f of files) {
    try {
      await validator.har(JSON.parse(fs.readFileSync(f, 'utf8')));
    } catch (e) {
      bad++;
      const detail = e.errors ? JSON.stringify(e.errors).slice(0, 400) : String(e);
      console.log(`invalid: ${f}: ${detail}`);
    }
  }
  console.log(`${files.length} transcript(s), ${bad} invalid`);
  process.exit(files.length === 0 || bad > 0 ? 1 : 0);
}

main();
