/** What execution hands back: column descriptions and rows as raw bytes, through a sink. */
package io.basalt.executor.result;
