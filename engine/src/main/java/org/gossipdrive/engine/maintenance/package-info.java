/** Whole-store checks and upkeep: verification, garbage collection, recovery at open. */
package org.gossipdrive.engine.maintenance;
