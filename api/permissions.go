package api

// Action is something a caller asks the API to do. Every route names one
// (routes.go); the permission table below says which roles may do it.
type Action string

// Actions.
const (
	ReadStatements    Action = "statements.read"
	UploadStatements  Action = "statements.upload"
	ReadInvoices      Action = "invoices.read"
	UploadInvoices    Action = "invoices.upload"
	ReadCustomers     Action = "customers.read"
	ReadExceptions    Action = "exceptions.read"
	AssignExceptions  Action = "exceptions.assign"
	ResolveExceptions Action = "exceptions.resolve"
	// ApproveWriteOffs releases a write-off above the approval limit. Nobody
	// may approve a write-off they resolved themselves, whatever their role.
	ApproveWriteOffs  Action = "writeoffs.approve"
	ReadPayments      Action = "payments.read"
	UnapplyPayments   Action = "payments.unapply"
	ExportAllocations Action = "export.read"
	ReadReports       Action = "reports.read"
	ReadAPI           Action = "api.read"
)

// permissions is the one table of who may do what. Segregation of duties:
// an uploader sends files but resolves nothing; a specialist resolves but
// does not release large write-offs; a viewer only reads.
var permissions = map[Action][]Role{
	ReadStatements:    {Uploader, Specialist, Approver, Admin, Viewer},
	UploadStatements:  {Uploader, Admin},
	ReadInvoices:      {Uploader, Specialist, Approver, Admin, Viewer},
	UploadInvoices:    {Uploader, Admin},
	ReadCustomers:     {Specialist, Approver, Admin, Viewer},
	ReadExceptions:    {Specialist, Approver, Admin, Viewer},
	AssignExceptions:  {Specialist, Approver, Admin},
	ResolveExceptions: {Specialist, Approver, Admin},
	ApproveWriteOffs:  {Approver, Admin},
	ReadPayments:      {Uploader, Specialist, Approver, Admin, Viewer},
	UnapplyPayments:   {Specialist, Approver, Admin},
	ExportAllocations: {Specialist, Approver, Admin, Viewer},
	ReadReports:       {Uploader, Specialist, Approver, Admin, Viewer},
	ReadAPI:           {Uploader, Specialist, Approver, Admin, Viewer},
}

// allowed reports whether role may perform action.
func allowed(role Role, action Action) bool {
	for _, r := range permissions[action] {
		if r == role {
			return true
		}
	}
	return false
}
