package postal

import "context"

// Role is what a member of staff may do.
type Role string

// The staff roles.
const (
	RolePostman    Role = "postman"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
	// RoleSorter sorts the centre's arriving articles into the postmen's
	// cases: it may read the centre's sort plan and record scans, nothing
	// else.
	RoleSorter Role = "sorter"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RolePostman, RoleSupervisor, RoleAdmin, RoleSorter:
		return true
	}
	return false
}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID   string
	Username string
	Role     Role
	DCID     string // empty for an admin, who belongs to no one centre
}

// CanSeeDC reports whether p may see the data of delivery centre dc. An
// admin sees every centre; other staff only their own.
func (p Principal) CanSeeDC(dc string) bool {
	return p.Role == RoleAdmin || (p.DCID != "" && p.DCID == dc)
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
