// Writes <file>.gz and <file>.br beside every compressible file of the build, so the gateway
// serves compressed bytes without compressing per request (docs/adr/0046-console.md).
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const compressible = /\.(html|js|css|svg|json|txt|webmanifest)$/;

function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
    } else if (compressible.test(name)) {
      const bytes = readFileSync(path);
      writeFileSync(path + '.gz', gzipSync(bytes, { level: 9 }));
      writeFileSync(path + '.br', brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }));
    }
  }
}

walk(process.argv[2] ?? 'dist');
