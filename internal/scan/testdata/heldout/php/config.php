<?php
// Legacy dashboard that shows training runs.
$dsn = 'mysql:host=db.internal;dbname=runs';
$db_user = 'dashboard';
$db_password = '{{generic}}';
$api_key = '';
$api_key .= '{{generic}}';
$session_token_name = 'dash_session';
define('CACHE_SECRET', '{{generic}}');
