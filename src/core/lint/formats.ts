/** What `gridctl check --format` can print; no imports, so --help lists them cheaply. */
export const CHECK_FORMATS = ['human', 'json', 'sarif', 'junit', 'github'] as const;

export type CheckFormat = (typeof CHECK_FORMATS)[number];
