export { type QueueContractSubject, queueContract } from './contract.js';
