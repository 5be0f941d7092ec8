/**
 * The closed lists of gridctl.yaml's deployment half that flags offer as choices too (init's
 * --profile, --persistence). No zod here, so a command's --help can list them cheaply.
 */
export const PROFILES = ['production', 'staging', 'development'] as const;
export const PERSISTENCE_PROFILES = ['store', 'cache', 'hybrid'] as const;
