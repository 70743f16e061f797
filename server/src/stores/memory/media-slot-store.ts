/**
 * Media transfer slots in this process. The implementation lives beside its port in the core,
 * which also falls back to it for a store that keeps no slots.
 */
export { MemoryMediaSlotStore } from '../../core/media/media-slots.js';
