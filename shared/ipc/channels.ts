/** The origin the app's own pages are served from (a custom protocol, not file://, so origin checks are exact). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://instances';
