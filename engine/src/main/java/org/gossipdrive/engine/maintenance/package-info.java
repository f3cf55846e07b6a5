/**
 * Whole-store checks and upkeep: verification, garbage collection, recovery at open, and the
 * lost-work audit ({@code EditAudit}).
 */
package org.gossipdrive.engine.maintenance;
