// Imported first: zod's fast path compiles parsers with `new Function`, which the page's
// Content-Security-Policy forbids (no 'unsafe-eval', docs/security.md). Without it zod only probes
// and falls back, but the probe itself is reported as a violation.
import { z } from 'zod';

z.config({ jitless: true });
