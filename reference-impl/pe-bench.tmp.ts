import { startReferencePe } from './server.js';
const pe = await startReferencePe({ port: Number(process.argv[2]), tokens: ['bench-token'], cacheSize: Number(process.argv[3] ?? 100000) });
console.log('ready', pe.url);
process.on('SIGTERM', () => { console.error(JSON.stringify(pe.stats())); void pe.close().then(() => process.exit(0)); });
