import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';
import { TEST_HASH_OPTIONS, describeScopeStoreContract } from '../store-contract';

describeScopeStoreContract('MemoryScopeStore', async () => ({ store: new MemoryScopeStore({ hashOptions: TEST_HASH_OPTIONS }) }));
