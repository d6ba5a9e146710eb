K// x
export async function f(p: string): Promise<void> { const r = /a\/b/g; return `${p}`; }
