import type { Cargo } from '../model/cargo.ts';
import { LIMITS } from '../model/limits.ts';
import { isAmount, isArrayOf, isCurrency, isEventHead, isFreeText, isOneOf, isPlainText, isRecord, isState, onlyKeys, optional } from './plain-checks.ts';

/**
 * As `isPlainCrossing`, for a cargo declaration that the schema takes exactly as it is:
 * its id lists (`vehicleIds`, `containerIds`, `seals`, `countries.transit`) present, since
 * zod would fill an absent one in, and no -0 amount. Anything else goes to zod.
 */
export function isPlainCargo(value: unknown): value is Cargo {
  return (
    isRecord(value) &&
    isEventHead(value, 'cargo') &&
    onlyKeys(value, CARGO_KEYS) &&
    isPlainText(value.declarationId, 1, 64) &&
    isOneOf(value.mode, MODES) &&
    isArrayOf(value.vehicleIds, 0, LIMITS.vehicleIds, isCargoId) &&
    isArrayOf(value.containerIds, 0, LIMITS.containerIds, isCargoId) &&
    isArrayOf(value.seals, 0, LIMITS.seals, isCargoId) &&
    isParty(value.shipper) &&
    isParty(value.consignee) &&
    isCountries(value.countries) &&
    isArrayOf(value.items, 1, LIMITS.items, isItem) &&
    optional(value, 'freight', isMoney)
  );
}

const HS_CODE = /^[0-9]{6}$/;
const CARGO_KEYS = new Set(['schemaVersion', 'kind', 'eventId', 'eventTime', 'post', 'direction', 'declarationId', 'mode', 'vehicleIds', 'containerIds', 'seals', 'shipper', 'consignee', 'countries', 'items', 'freight']);
const PARTY_KEYS = new Set(['name', 'country', 'identifier']);
const MONEY_KEYS = new Set(['amount', 'currency']);
const ITEM_KEYS = new Set(['hsCode', 'description', 'packages', 'grossKg', 'netKg', 'value']);
const COUNTRIES_KEYS = new Set(['origin', 'dispatch', 'destination', 'transit']);
const MODES: ReadonlySet<string> = new Set(['road', 'rail', 'air', 'sea', 'multimodal']);

function isCargoId(v: unknown): boolean {
  return isPlainText(v, 1, LIMITS.cargoIdLength);
}

function isParty(v: unknown): boolean {
  return isRecord(v) && onlyKeys(v, PARTY_KEYS) && isPlainText(v.name, 1, 200) && isState(v.country) && optional(v, 'identifier', (id) => isPlainText(id, 1, 64));
}

function isMoney(v: unknown): boolean {
  return isRecord(v) && onlyKeys(v, MONEY_KEYS) && isAmount(v.amount, 0) && isCurrency(v.currency);
}

function isItem(v: unknown): boolean {
  return (
    isRecord(v) &&
    onlyKeys(v, ITEM_KEYS) &&
    typeof v.hsCode === 'string' &&
    HS_CODE.test(v.hsCode) &&
    isFreeText(v.description, 1, 500) &&
    Number.isSafeInteger(v.packages) &&
    (v.packages as number) >= 1 &&
    isAmount(v.grossKg, Number.MIN_VALUE) &&
    isAmount(v.netKg, Number.MIN_VALUE) &&
    isMoney(v.value)
  );
}

function isCountries(v: unknown): boolean {
  return (
    isRecord(v) &&
    onlyKeys(v, COUNTRIES_KEYS) &&
    isArrayOf(v.origin, 1, LIMITS.originCountries, isState) &&
    isState(v.dispatch) &&
    isState(v.destination) &&
    isArrayOf(v.transit, 0, LIMITS.transitCountries, isState)
  );
}
