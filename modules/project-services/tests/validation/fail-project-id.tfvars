# expect: project_id must be a valid project id
project_id = "Bad_Project"
