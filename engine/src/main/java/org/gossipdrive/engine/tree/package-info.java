/**
 * The file tree's data model: file ids, versions, version vectors, hybrid logical clocks, and the
 * binary form of a version.
 */
package org.gossipdrive.engine.tree;
