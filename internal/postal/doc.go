// Package postal holds Dakiya's shared vocabulary: identifiers, roles, slots,
// money, S10 article ids, DIGIPIN codes, the principal in a context and the
// error codes every layer classifies its failures with. It uses only the
// standard library.
package postal
