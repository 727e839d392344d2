/**
 * @x/pickle-core: entry point. The API lands with its issue; nothing is exported yet.
 */
export {};
