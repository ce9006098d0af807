/**
 * Whether "Hide hosts & IPs" is on, for what the `.privacy .sensitive` blur
 * can't reach: a row's tooltip (its beacon text names the host and address).
 */
import { createContext } from 'react';

export const PrivacyContext = createContext(false);
