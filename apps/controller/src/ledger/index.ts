// The ledger's public API, used by the CLI and by the controller to record its decisions.
export { Ledger, openLedger, defaultLedgerPath, describeLedgerLocation, type LedgerLocation } from './ledger.js';
export type * from './ledger-records.js';
