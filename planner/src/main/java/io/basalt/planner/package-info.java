/**
 * Statement analysis and planning. At this stage every statement is planned as a local
 * pass-through; the lexer, the classification and the Calcite parser (package sql) here are what
 * the distributed planner builds on.
 */
package io.basalt.planner;
