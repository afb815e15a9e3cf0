export const log = (msg: string) => console.log(`[bench] ${msg}`);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
