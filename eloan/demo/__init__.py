"""The demo story (`eloan seed-demo`): every feature shown with dated events told through the real services.

It sits above the services, beside the web and the CLI, so it may use the PDFs (proofs) and the daily job
(the monitoring history): story.py (users, banks, enterprises, the lists and the story loans), book.py (a
healthy loan book and sixty days of monitoring) and claims.py (claims in every state and the fund's ledger).
"""
